package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Encodes a value of a sealed type as its variant's tag (the variant's place in the list, one byte) followed by
 * the variant's content, so each sealed type names its variants once instead of writing its own tagged coder.
 */
public final class SealedCoder<T> extends CustomCoder<T> {
  private final List<Variant<T, ?>> variants;

  private SealedCoder(List<Variant<T, ?>> variants) {
    this.variants = List.copyOf(variants);
  }

  /** The coder of a sealed type with these variants; their order is the wire format: only append. */
  @SafeVarargs
  public static <T> SealedCoder<T> of(Variant<T, ?>... variants) {
    return new SealedCoder<>(List.of(variants));
  }

  /**
   * A variant of type {@code type}, whose content {@code parts} takes out and {@code build} makes a variant of
   * again, encoded with {@code content}.
   */
  @SuppressWarnings("unchecked")
  public static <T, V extends T, C> Variant<T, C> variant(
      Class<V> type, Coder<C> content, SerializableFunction<V, C> parts, SerializableFunction<C, V> build) {
    return new Variant<>(
        type, content, (SerializableFunction<T, C>) (SerializableFunction<?, C>) parts,
        (SerializableFunction<C, T>) (SerializableFunction<C, ?>) build);
  }

  /** One variant of a sealed type: see {@link #variant}. */
  public record Variant<T, C>(
      Class<? extends T> type, Coder<C> content, SerializableFunction<T, C> parts, SerializableFunction<C, T> build)
      implements Serializable {
    void encode(T value, OutputStream out) throws IOException {
      content.encode(parts.apply(value), out);
    }

    T decode(InputStream in) throws IOException {
      return build.apply(content.decode(in));
    }
  }

  /** Equal when the variants have the same types and content coders, in the same order. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SealedCoder<?> that && signature().equals(that.signature());
  }

  @Override
  public int hashCode() {
    return signature().hashCode();
  }

  private List<List<Object>> signature() {
    return variants.stream().map(v -> List.<Object>of(v.type(), v.content())).toList();
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    for (int tag = 0; tag < variants.size(); tag++) {
      if (variants.get(tag).type().isInstance(value)) {
        ByteCoder.of().encode((byte) tag, out);
        variants.get(tag).encode(value, out);
        return;
      }
    }
    throw new CoderException("No variant for " + (value == null ? "null" : value.getClass().getName()));
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int tag = ByteCoder.of().decode(in);
    if (tag < 0 || tag >= variants.size()) {
      throw new CoderException("Unknown variant tag " + tag);
    }
    return variants.get(tag).decode(in);
  }
}

package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;

/** Encodes a {@link DeadLetter} as its JSON, the form it is written in. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

  private DeadLetterCoder() {}

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeadLetter value, OutputStream out) throws IOException {
    ByteArrayCoder.of().encode(value.toJson(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return DeadLetter.fromJson(ByteArrayCoder.of().decode(in));
  }
}

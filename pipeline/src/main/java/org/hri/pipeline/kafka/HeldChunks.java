package org.hri.pipeline.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.coders.CustomCoder;
import org.hri.pipeline.durable.DurableBundles;
import org.hri.pipeline.durable.DurableBundles.Holder;

/**
 * The chunks a writer shard holds until the runner has made them durable (see {@link DurableBundles}), without
 * their records. Immutable.
 */
record HeldChunks(long nextSlot, List<Held> chunks) {
  static final HeldChunks NONE = new HeldChunks(0, List.of());

  /** One held chunk: where its records are kept ({@code slot}), its numbers, and who put it in state. */
  record Held(long slot, long run, long first, long end, Holder holder) {}

  HeldChunks {
    chunks = List.copyOf(chunks);
  }

  /** These chunks and {@code chunk}, held in slot {@link #nextSlot()} by {@code holder}. */
  HeldChunks with(SequencedChunk chunk, Holder holder) {
    List<Held> more = new ArrayList<>(chunks);
    more.add(new Held(nextSlot, chunk.run(), chunk.first(), chunk.end(), holder));
    return new HeldChunks(nextSlot + 1, more);
  }

  /** The durable chunks, in the order they were held. */
  List<Held> durable(Predicate<Holder> isDurable) {
    return chunks.stream().filter(held -> isDurable.test(held.holder())).toList();
  }

  /** These chunks but those in {@code slots}. */
  HeldChunks without(Collection<Long> slots) {
    return new HeldChunks(nextSlot, chunks.stream().filter(held -> !slots.contains(held.slot())).toList());
  }

  boolean isEmpty() {
    return chunks.isEmpty();
  }

  static final class Coder extends CustomCoder<HeldChunks> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(HeldChunks value, OutputStream outStream) throws IOException {
      DataOutputStream out = new DataOutputStream(outStream);
      out.writeLong(value.nextSlot());
      out.writeInt(value.chunks().size());
      for (Held held : value.chunks()) {
        out.writeLong(held.slot());
        out.writeLong(held.run());
        out.writeLong(held.first());
        out.writeLong(held.end());
        Holder.CODER.encode(held.holder(), out);
      }
    }

    @Override
    public HeldChunks decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      long nextSlot = in.readLong();
      int size = in.readInt();
      List<Held> chunks = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        chunks.add(new Held(in.readLong(), in.readLong(), in.readLong(), in.readLong(), Holder.CODER.decode(in)));
      }
      return new HeldChunks(nextSlot, chunks);
    }

    @Override
    public void verifyDeterministic() {}
  }
}

package org.hri.pipeline.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * The chunks a writer shard holds until the runner has made them durable, without their records: which ones it
 * may write. A chunk is durable once the bundle that put it in state was committed — on Flink, once a completed
 * checkpoint holds that state — and every chunk a writer instance finds in state that another instance put
 * there is durable too: it came from a restored checkpoint, or from a bundle the runner committed elsewhere.
 * Immutable.
 */
record HeldChunks(long nextSlot, List<Held> chunks) {
  static final HeldChunks NONE = new HeldChunks(0, List.of());

  /**
   * One held chunk: where its records are kept ({@code slot}), its numbers, and which writer instance held it
   * in which of that instance's bundles.
   */
  record Held(long slot, long run, long first, long end, long instance, long bundle) {
    boolean isDurable(long currentInstance, long lastCommittedBundle) {
      return instance != currentInstance || bundle <= lastCommittedBundle;
    }
  }

  HeldChunks {
    chunks = List.copyOf(chunks);
  }

  /** These chunks and {@code chunk}, held in slot {@link #nextSlot()} by {@code instance} in {@code bundle}. */
  HeldChunks with(SequencedChunk chunk, long instance, long bundle) {
    List<Held> more = new ArrayList<>(chunks);
    more.add(new Held(nextSlot, chunk.run(), chunk.first(), chunk.end(), instance, bundle));
    return new HeldChunks(nextSlot + 1, more);
  }

  /** The durable chunks, in the order they were held, for writer instance {@code instance}. */
  List<Held> durable(long instance, long lastCommittedBundle) {
    return chunks.stream().filter(held -> held.isDurable(instance, lastCommittedBundle)).toList();
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
        out.writeLong(held.instance());
        out.writeLong(held.bundle());
      }
    }

    @Override
    public HeldChunks decode(InputStream inStream) throws IOException {
      DataInputStream in = new DataInputStream(inStream);
      long nextSlot = in.readLong();
      int size = in.readInt();
      List<Held> chunks = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        chunks.add(new Held(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
      }
      return new HeldChunks(nextSlot, chunks);
    }

    @Override
    public void verifyDeterministic() {}
  }
}

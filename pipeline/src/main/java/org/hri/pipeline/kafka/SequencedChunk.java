package org.hri.pipeline.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Records to write, numbered {@code first}, {@code first + 1}, … in their shard's run: what the writer needs
 * to tell a replay from new work. The writer handles records a chunk at a time, not one by one: its state
 * and the shuffle before it cost per element, whatever the element's size.
 */
record SequencedChunk(long run, long first, RecordChunk records) {
  /** The number after the chunk's last record. */
  long end() {
    return first + records.size();
  }

  static final class SequencedChunkCoder extends CustomCoder<SequencedChunk> {
    @Override
    public void encode(SequencedChunk chunk, OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(chunk.run());
      VarLongCoder.of().encode(chunk.first(), out);
      RecordChunk.Coder.of().encode(chunk.records(), out);
    }

    @Override
    public SequencedChunk decode(InputStream in) throws IOException {
      long run = new DataInputStream(in).readLong();
      long first = VarLongCoder.of().decode(in);
      return new SequencedChunk(run, first, RecordChunk.Coder.of().decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() {}
  }
}

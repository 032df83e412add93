package org.hri.pipeline.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records to write, numbered {@code first}, {@code first + 1}, … in their shard's run: what the writer needs
 * to tell a replay from new work. The writer handles records a chunk at a time, not one by one: its state,
 * its stable-input buffer and the shuffle before it cost per element, whatever the element's size.
 */
record SequencedChunk(long run, long first, List<ProducerRecord<byte[], byte[]>> records) {
  SequencedChunk {
    records = List.copyOf(records);
  }

  /** The number after the chunk's last record. */
  long end() {
    return first + records.size();
  }

  static final class SequencedChunkCoder extends CustomCoder<SequencedChunk> {
    private static final KafkaRecordCoder RECORD = new KafkaRecordCoder();

    @Override
    public void encode(SequencedChunk chunk, OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(chunk.run());
      VarLongCoder.of().encode(chunk.first(), out);
      VarIntCoder.of().encode(chunk.records().size(), out);
      for (ProducerRecord<byte[], byte[]> record : chunk.records()) {
        RECORD.encode(record, out);
      }
    }

    @Override
    public SequencedChunk decode(InputStream in) throws IOException {
      long run = new DataInputStream(in).readLong();
      long first = VarLongCoder.of().decode(in);
      int size = VarIntCoder.of().decode(in);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        records.add(RECORD.decode(in));
      }
      return new SequencedChunk(run, first, records);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() {}
  }
}

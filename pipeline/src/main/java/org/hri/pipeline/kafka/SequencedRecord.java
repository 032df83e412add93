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
import org.apache.kafka.clients.producer.ProducerRecord;

/** A record to write, numbered in its shard's run: what the writer needs to tell a replay from new work. */
record SequencedRecord(long run, long sequence, ProducerRecord<byte[], byte[]> record) {

  static final class SequencedRecordCoder extends CustomCoder<SequencedRecord> {
    private static final KafkaRecordCoder RECORD = new KafkaRecordCoder();

    @Override
    public void encode(SequencedRecord value, OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(value.run());
      VarLongCoder.of().encode(value.sequence(), out);
      RECORD.encode(value.record(), out);
    }

    @Override
    public SequencedRecord decode(InputStream in) throws IOException {
      long run = new DataInputStream(in).readLong();
      long sequence = VarLongCoder.of().decode(in);
      return new SequencedRecord(run, sequence, RECORD.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() {}
  }
}

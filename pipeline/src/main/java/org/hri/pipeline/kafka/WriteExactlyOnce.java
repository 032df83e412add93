package org.hri.pipeline.kafka;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to Kafka exactly once for {@code read_committed} consumers, keys, values and headers as
 * they are: records are spread over shards, numbered per shard, and written in transactions that also commit
 * each shard's position (see {@link WriteTransactionsFn}).
 */
final class WriteExactlyOnce extends PTransform<PCollection<ProducerRecord<byte[], byte[]>>, PDone> {
  private final Map<String, Object> producerConfig;
  private final Map<String, Object> adminConfig;
  private final String topic;
  private final int shards;
  private final WriterFaults faults;

  WriteExactlyOnce(
      Map<String, Object> producerConfig, Map<String, Object> adminConfig, String topic, int shards,
      WriterFaults faults) {
    this.producerConfig = producerConfig;
    this.adminConfig = adminConfig;
    this.topic = topic;
    this.shards = shards;
    this.faults = faults;
  }

  @Override
  public PDone expand(PCollection<ProducerRecord<byte[], byte[]>> records) {
    records
        .apply("AssignShards", ParDo.of(new AssignShardFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), new KafkaRecordCoder()))
        .apply("NumberRecords", ParDo.of(new SequenceRecordsFn(adminConfig, topic, shardPrefix())))
        .setCoder(KvCoder.of(VarIntCoder.of(), new SequencedRecord.SequencedRecordCoder()))
        .apply(
            "WriteTransactions",
            ParDo.of(new WriteTransactionsFn(producerConfig, adminConfig, topic, shardPrefix(), faults)));
    return PDone.in(records.getPipeline());
  }

  /** Shard {@code n} writes with transactional id {@code hri-<topic>-n}, its position in the group of that name. */
  private String shardPrefix() {
    return "hri-" + topic;
  }

  /** Round robin from a random shard, so that every worker spreads its records over all shards. */
  private static final class AssignShardFn
      extends DoFn<ProducerRecord<byte[], byte[]>, KV<Integer, ProducerRecord<byte[], byte[]>>> {
    private final int shards;
    private transient int next;

    AssignShardFn(int shards) {
      this.shards = shards;
    }

    @Setup
    public void setup() {
      next = ThreadLocalRandom.current().nextInt(shards);
    }

    @ProcessElement
    public void process(
        @Element ProducerRecord<byte[], byte[]> record,
        OutputReceiver<KV<Integer, ProducerRecord<byte[], byte[]>>> out) {
      out.output(KV.of(next, record));
      next = (next + 1) % shards;
    }
  }
}

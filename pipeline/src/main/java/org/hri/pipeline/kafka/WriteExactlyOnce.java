package org.hri.pipeline.kafka;

import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to Kafka exactly once for {@code read_committed} consumers, keys, values and headers as
 * they are: records are gathered into chunks spread over shards, numbered per shard, and written in
 * transactions that also commit each shard's position (see {@link WriteTransactionsFn}).
 */
final class WriteExactlyOnce extends PTransform<PCollectionList<ProducerRecord<byte[], byte[]>>, PDone> {
  // As large as a bundle (the job's default), and a few MB at most: a chunk is held in memory whole.
  static final int CHUNK_RECORDS = 10_000;
  static final long CHUNK_BYTES = 4 << 20;

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
  public PDone expand(PCollectionList<ProducerRecord<byte[], byte[]>> parts) {
    KvCoder<Integer, RecordChunk> chunkCoder = KvCoder.of(VarIntCoder.of(), RecordChunk.Coder.of());
    PCollectionList<KV<Integer, RecordChunk>> chunkParts =
        EachPart.apply(
            parts, "ChunkRecords", ParDo.of(new ChunkRecordsFn(shards, CHUNK_RECORDS, CHUNK_BYTES)), chunkCoder);
    PCollection<KV<Integer, RecordChunk>> chunks =
        EachPart.flatten(chunkParts, "FlattenChunks", chunkCoder);
    chunks
        .apply("NumberChunks", ParDo.of(new NumberChunksFn(adminConfig, topic, shardPrefix())))
        .setCoder(KvCoder.of(VarIntCoder.of(), new SequencedChunk.SequencedChunkCoder()))
        .apply(
            "WriteTransactions",
            ParDo.of(new WriteTransactionsFn(producerConfig, adminConfig, topic, shardPrefix(), faults)));
    return PDone.in(parts.getPipeline());
  }

  /** Shard {@code n} writes with transactional id {@code hri-<topic>-n}, its position in the group of that name. */
  private String shardPrefix() {
    return "hri-" + topic;
  }
}

package org.hri.pipeline.kafka;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Instant;

/**
 * Gathers a bundle's records into chunks of at most {@code maxRecords} records or about {@code maxBytes} bytes
 * serialized, and spreads the chunks round robin over the shards (from a random shard per worker, so
 * that every worker spreads its chunks over all of them).
 */
final class ChunkRecordsFn extends DoFn<ProducerRecord<byte[], byte[]>, KV<Integer, RecordChunk>> {
  private final int shards;
  private final int maxRecords;
  private final long maxBytes;
  private transient int nextShard;
  private transient RecordChunk.Builder chunk;
  private transient Instant chunkTimestamp;
  private transient BoundedWindow chunkWindow;

  ChunkRecordsFn(int shards, int maxRecords, long maxBytes) {
    this.shards = shards;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  @Setup
  public void setup() {
    nextShard = ThreadLocalRandom.current().nextInt(shards);
  }

  @StartBundle
  public void startBundle() {
    chunk = new RecordChunk.Builder();
  }

  @ProcessElement
  public void process(
      @Element ProducerRecord<byte[], byte[]> record, @Timestamp Instant timestamp, BoundedWindow window,
      OutputReceiver<KV<Integer, RecordChunk>> out) {
    if (chunk.size() == 0 || timestamp.isBefore(chunkTimestamp)) {
      chunkTimestamp = timestamp;
    }
    chunkWindow = window;
    chunk.add(record);
    if (chunk.size() >= maxRecords || chunk.bytes() >= maxBytes) {
      out.outputWithTimestamp(nextChunk(), timestamp);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (chunk.size() > 0) {
      context.output(nextChunk(), chunkTimestamp, chunkWindow);
    }
  }

  private KV<Integer, RecordChunk> nextChunk() {
    KV<Integer, RecordChunk> full = KV.of(nextShard, chunk.build());
    nextShard = (nextShard + 1) % shards;
    chunk = new RecordChunk.Builder();
    return full;
  }
}

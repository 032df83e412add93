package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Instant;

/**
 * Gathers a bundle's records into chunks of at most {@code maxRecords} records or about {@code maxBytes} bytes
 * of keys and values, and spreads the chunks round robin over the shards (from a random shard per worker, so
 * that every worker spreads its chunks over all of them).
 */
final class ChunkRecordsFn
    extends DoFn<ProducerRecord<byte[], byte[]>, KV<Integer, List<ProducerRecord<byte[], byte[]>>>> {
  private final int shards;
  private final int maxRecords;
  private final long maxBytes;
  private transient int nextShard;
  private transient List<ProducerRecord<byte[], byte[]>> chunk;
  private transient long chunkBytes;
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
    chunk = new ArrayList<>();
    chunkBytes = 0;
  }

  @ProcessElement
  public void process(
      @Element ProducerRecord<byte[], byte[]> record, @Timestamp Instant timestamp, BoundedWindow window,
      OutputReceiver<KV<Integer, List<ProducerRecord<byte[], byte[]>>>> out) {
    if (chunk.isEmpty() || timestamp.isBefore(chunkTimestamp)) {
      chunkTimestamp = timestamp;
    }
    chunkWindow = window;
    chunk.add(record);
    chunkBytes += length(record.key()) + length(record.value());
    if (chunk.size() >= maxRecords || chunkBytes >= maxBytes) {
      out.outputWithTimestamp(nextChunk(), timestamp);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!chunk.isEmpty()) {
      context.output(nextChunk(), chunkTimestamp, chunkWindow);
    }
  }

  private KV<Integer, List<ProducerRecord<byte[], byte[]>>> nextChunk() {
    KV<Integer, List<ProducerRecord<byte[], byte[]>>> full = KV.of(nextShard, chunk);
    nextShard = (nextShard + 1) % shards;
    chunk = new ArrayList<>();
    chunkBytes = 0;
    return full;
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}

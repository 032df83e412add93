package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes numbered records in Kafka transactions, one per shard and bundle, each committing the shard's new
 * position with the records (see {@link CommittedPosition}). Its input is stable — the runner hands it only
 * chunks that a completed checkpoint holds, and the same ones again after a restore — so a record below the
 * position is a replay and is skipped. Keyed by shard: a runner hands a key's elements to one worker at a
 * time, also after a rescale, so a shard's producer never fences a live one. Failure windows:
 * docs/architecture.md, decision 12.
 */
final class WriteTransactionsFn extends DoFn<KV<Integer, SequencedChunk>, Void> {
  private final HashMap<String, Object> producerConfig;
  private final HashMap<String, Object> adminConfig;
  private final String topic;
  private final String shardPrefix;
  private final WriterFaults faults;
  private static final Logger LOG = LoggerFactory.getLogger(WriteTransactionsFn.class);
  private static final Counter TRANSACTIONS = Metrics.counter("hri", "transactions-committed");
  private static final Counter REPLAYED = Metrics.counter("hri", "records-already-committed");

  /** The run last written and its next number to write. */
  @StateId("expected")
  private final StateSpec<ValueState<KV<Long, Long>>> expectedSpec =
      StateSpecs.value(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

  /** Chunks that came before a gap in the numbers filled; empty on runners that keep the order. */
  @StateId("early")
  private final StateSpec<BagState<SequencedChunk>> earlySpec =
      StateSpecs.bag(new SequencedChunk.SequencedChunkCoder());

  private transient Admin admin;
  /** Producers this bundle borrowed, by shard id, in the order it borrowed them. */
  private transient Map<String, ShardProducer> borrowed;

  WriteTransactionsFn(
      Map<String, Object> producerConfig, Map<String, Object> adminConfig, String topic, String shardPrefix,
      WriterFaults faults) {
    this.producerConfig = new HashMap<>(producerConfig);
    this.adminConfig = new HashMap<>(adminConfig);
    this.topic = topic;
    this.shardPrefix = shardPrefix;
    this.faults = faults;
  }

  /** The transactional id of a shard, and the consumer group holding its position. */
  static String shardId(String shardPrefix, int shard) {
    return shardPrefix + "-" + shard;
  }

  @Setup
  public void setup() {
    ShardProducerPool.join();
    borrowed = new LinkedHashMap<>();
  }

  @ProcessElement
  @RequiresStableInput
  public void process(
      @Element KV<Integer, SequencedChunk> element,
      @StateId("expected") ValueState<KV<Long, Long>> expected,
      @StateId("early") BagState<SequencedChunk> early) {
    String shardId = shardId(shardPrefix, element.getKey());
    SequencedChunk chunk = element.getValue();
    try {
      ShardProducer producer = borrowed.computeIfAbsent(shardId, this::borrow);
      KV<Long, Long> written = expected.read();
      long fromState = written != null && written.getKey() == chunk.run() ? written.getValue() : 0;
      long next = Math.max(fromState, producer.nextSequenceOf(chunk.run()));
      switch (WriteOrder.of(chunk, next)) {
        case ALREADY_WRITTEN -> REPLAYED.inc(chunk.records().size());
        case WAIT -> early.add(chunk);
        case WRITE ->
            expected.write(KV.of(chunk.run(), writeWithFollowers(producer, chunk, next, early, faults)));
      }
    } catch (RuntimeException e) {
      discardAll();
      throw e;
    }
  }

  /**
   * Writes the records of {@code chunk} from number {@code next} on, and the waiting chunks that follow them
   * without a gap; the next number expected.
   */
  private static long writeWithFollowers(
      ShardProducer producer, SequencedChunk chunk, long next, BagState<SequencedChunk> early,
      WriterFaults faults) {
    next = write(producer, chunk, next, faults);
    if (early.isEmpty().read()) {
      return next;
    }
    List<SequencedChunk> waiting = new ArrayList<>();
    early.read().forEach(waiting::add);
    waiting.sort(Comparator.comparingLong(SequencedChunk::first));
    List<SequencedChunk> stillWaiting = new ArrayList<>();
    for (SequencedChunk candidate : waiting) {
      if (candidate.run() != chunk.run() || WriteOrder.of(candidate, next) == WriteOrder.WAIT) {
        stillWaiting.add(candidate);
      } else {
        next = write(producer, candidate, next, faults);
      }
    }
    early.clear();
    stillWaiting.forEach(early::add);
    return next;
  }

  /** Writes the records of {@code chunk} numbered {@code next} and above; the number after its last. */
  private static long write(ShardProducer producer, SequencedChunk chunk, long next, WriterFaults faults) {
    if (next > chunk.first()) {
      REPLAYED.inc(next - chunk.first());
    }
    List<ProducerRecord<byte[], byte[]>> records = chunk.records().decode();
    for (long sequence = Math.max(next, chunk.first()); sequence < chunk.end(); sequence++) {
      producer.send(chunk.run(), sequence, records.get((int) (sequence - chunk.first())), faults);
    }
    return Math.max(next, chunk.end());
  }

  @FinishBundle
  public void finishBundle() {
    try {
      commitAll();
    } catch (RuntimeException e) {
      discardAll();
      throw e;
    }
  }

  @Teardown
  public void teardown() {
    try {
      if (borrowed != null) {
        discardAll();
      }
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
        admin = null;
      }
    } catch (RuntimeException e) {
      LOG.warn("Closing the exactly-once writer's admin client failed: {}", e.toString());
    } finally {
      ShardProducerPool.leave();
    }
  }

  private ShardProducer borrow(String shardId) {
    return ShardProducerPool.borrow(
        shardId, () -> ShardProducer.open(producerConfig, admin(), topic, shardId));
  }

  private Admin admin() {
    if (admin == null) {
      admin = Admin.create(adminConfig);
    }
    return admin;
  }

  /** Commits and gives back every borrowed producer; a failure leaves the rest borrowed, to be discarded. */
  private void commitAll() {
    var shards = borrowed.entrySet().iterator();
    while (shards.hasNext()) {
      Map.Entry<String, ShardProducer> shard = shards.next();
      if (shard.getValue().commit(faults)) {
        TRANSACTIONS.inc();
      }
      shards.remove();
      ShardProducerPool.giveBack(shard.getKey(), shard.getValue());
    }
  }

  private void discardAll() {
    borrowed.forEach(ShardProducerPool::discard);
    borrowed.clear();
  }
}

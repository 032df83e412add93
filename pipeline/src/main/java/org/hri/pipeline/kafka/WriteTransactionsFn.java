package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hri.pipeline.durable.DurableBundles;
import org.hri.pipeline.durable.DurableBundles.Holder;
import org.hri.pipeline.kafka.HeldChunks.Held;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes numbered records in Kafka transactions, each committing the shard's new position with the records (see
 * {@link CommittedPosition}). A chunk is held in state until the runner made that state durable
 * ({@link DurableBundles}), so after any restore the chunks the writer holds again carry the numbers they were
 * written with, and a record below the position is a replay and is skipped. Keyed by shard: a runner hands a
 * key's elements to one worker at a time, also after a rescale, so a shard's producer never fences a live one.
 * Failure windows: docs/architecture.md, decision 12.
 */
final class WriteTransactionsFn extends DoFn<KV<Integer, SequencedChunk>, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteTransactionsFn.class);
  private static final Counter TRANSACTIONS = Metrics.counter("hri", "transactions-committed");
  private static final Counter REPLAYED = Metrics.counter("hri", "records-already-committed");

  private final HashMap<String, Object> producerConfig;
  private final HashMap<String, Object> adminConfig;
  private final String topic;
  private final String shardPrefix;
  private final WriterFaults faults;

  /** Which chunks the shard holds, and whose. */
  @StateId("held")
  private final StateSpec<ValueState<HeldChunks>> heldSpec = StateSpecs.value(HeldChunks.Coder.of());

  /** The held chunks' records, by slot. */
  @StateId("records")
  private final StateSpec<MapState<Long, SequencedChunk>> recordsSpec =
      StateSpecs.map(VarLongCoder.of(), new SequencedChunk.SequencedChunkCoder());

  @TimerId("release")
  private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  /**
   * The input ended (bounded input, a drain): runners fire no processing-time timer after it, so all that is
   * held is written then, durable or not.
   */
  @TimerId("endOfInput")
  private final TimerSpec endOfInputSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  private transient DurableBundles bundles;
  private transient Admin admin;

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
    bundles = new DurableBundles();
  }

  @StartBundle
  public void startBundle() {
    bundles.startBundle();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, SequencedChunk> element,
      @StateId("held") ValueState<HeldChunks> held,
      @StateId("records") MapState<Long, SequencedChunk> records,
      @TimerId("release") Timer release,
      @TimerId("endOfInput") Timer endOfInput,
      BoundedWindow window,
      BundleFinalizer finalizer) {
    HeldChunks before = Objects.requireNonNullElse(held.read(), HeldChunks.NONE);
    if (before.isEmpty()) { // else the timers are set already: each release sets the next while any is held
      endOfInput.set(window.maxTimestamp());
      release.align(DurableBundles.RELEASE_PERIOD).setRelative();
    }
    records.put(before.nextSlot(), element.getValue());
    held.write(before.with(element.getValue(), bundles.hold(finalizer)));
  }

  @OnTimer("release")
  public void release(
      @Key Integer shard,
      @StateId("held") ValueState<HeldChunks> held,
      @StateId("records") MapState<Long, SequencedChunk> records,
      @TimerId("release") Timer release) {
    release(shard, held, records, release, bundles::isDurable);
  }

  @OnTimer("endOfInput")
  public void endOfInput(
      @Key Integer shard,
      @StateId("held") ValueState<HeldChunks> held,
      @StateId("records") MapState<Long, SequencedChunk> records,
      @TimerId("release") Timer release) {
    release(shard, held, records, release, holder -> true);
  }

  /** Writes the held chunks that are durable; looks again later while any are held. */
  private void release(
      int shard, ValueState<HeldChunks> held, MapState<Long, SequencedChunk> records, Timer release,
      Predicate<Holder> isDurable) {
    HeldChunks before = Objects.requireNonNullElse(held.read(), HeldChunks.NONE);
    List<Held> durable = before.durable(isDurable);
    List<Long> written = durable.isEmpty() ? List.of() : write(shard, durable, records);
    HeldChunks after = written.isEmpty() ? before : before.without(written); // unchanged while a gap waits
    if (after.isEmpty()) {
      held.clear();
    } else {
      if (after != before) {
        held.write(after);
      }
      release.align(DurableBundles.RELEASE_PERIOD).setRelative();
    }
  }

  /**
   * Writes the records of {@code durable} chunks in one transaction, in number order from the shard's position,
   * and commits it; the slots of the chunks written or found written before. Chunks after a gap stay held.
   */
  private List<Long> write(int shard, List<Held> durable, MapState<Long, SequencedChunk> records) {
    String shardId = shardId(shardPrefix, shard);
    ShardProducer producer =
        ShardProducerPool.borrow(shardId, () -> ShardProducer.open(producerConfig, admin(), topic, shardId));
    try {
      List<Long> done = new ArrayList<>();
      Map<Long, Long> nextByRun = new HashMap<>();
      List<Held> waiting = new ArrayList<>(durable);
      boolean progress = true;
      while (progress) {
        progress = false;
        for (Iterator<Held> chunks = waiting.iterator(); chunks.hasNext(); ) {
          Held chunk = chunks.next();
          long next = nextByRun.computeIfAbsent(chunk.run(), producer::nextSequenceOf);
          switch (WriteOrder.of(chunk.first(), chunk.end(), next)) {
            case ALREADY_WRITTEN -> REPLAYED.inc(chunk.end() - chunk.first());
            case WRITE -> nextByRun.put(chunk.run(), send(producer, records.get(chunk.slot()).read(), next));
            case WAIT -> {
              continue;
            }
          }
          chunks.remove();
          done.add(chunk.slot());
          progress = true;
        }
      }
      if (producer.commit(faults)) {
        TRANSACTIONS.inc();
      }
      ShardProducerPool.giveBack(shardId, producer);
      done.forEach(records::remove);
      return done;
    } catch (RuntimeException e) {
      ShardProducerPool.discard(shardId, producer);
      throw e;
    }
  }

  /** Sends the records of {@code chunk} numbered {@code next} and above; the number after its last. */
  private long send(ShardProducer producer, SequencedChunk chunk, long next) {
    if (next > chunk.first()) {
      REPLAYED.inc(next - chunk.first());
    }
    List<ProducerRecord<byte[], byte[]>> records = chunk.records().decode();
    for (long sequence = next; sequence < chunk.end(); sequence++) {
      producer.send(chunk.run(), sequence, records.get((int) (sequence - chunk.first())), faults);
    }
    return chunk.end();
  }

  @Teardown
  public void teardown() {
    try {
      if (admin != null) {
        admin.close(java.time.Duration.ofSeconds(5));
        admin = null;
      }
    } catch (RuntimeException e) {
      LOG.warn("Closing the exactly-once writer's admin client failed: {}", e.toString());
    } finally {
      ShardProducerPool.leave();
    }
  }

  private Admin admin() {
    if (admin == null) {
      admin = Admin.create(adminConfig);
    }
    return admin;
  }
}

package org.hri.pipeline.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.admin.Admin;

/**
 * Writes numbered records in Kafka transactions, one per shard and bundle, each committing the shard's new
 * position with the records (see {@link CommittedPosition}). Its input is stable — the runner hands it only
 * records that a completed checkpoint holds, and the same ones again after a restore — so a record the
 * position covers is a replay and is skipped. Failure windows: docs/architecture.md, decision 12.
 */
final class WriteTransactionsFn extends DoFn<KV<Integer, SequencedRecord>, Void> {
  private final HashMap<String, Object> producerConfig;
  private final HashMap<String, Object> adminConfig;
  private final String topic;
  private final String shardPrefix;
  private final WriterFaults faults;
  private final Counter transactions = Metrics.counter(WriteTransactionsFn.class, "transactions-committed");
  private final Counter replayed = Metrics.counter(WriteTransactionsFn.class, "records-already-committed");

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
  public void process(@Element KV<Integer, SequencedRecord> element) {
    String shardId = shardId(shardPrefix, element.getKey());
    try {
      if (!borrowed.containsKey(shardId) && ShardProducerPool.isLent(shardId)) {
        commitAll(); // before waiting for another bundle's shard: two bundles must never wait for each other
      }
      ShardProducer producer = borrowed.computeIfAbsent(shardId, this::borrow);
      if (!producer.send(element.getValue())) {
        replayed.inc();
      }
    } catch (RuntimeException e) {
      discardAll();
      throw e;
    }
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
    if (borrowed != null) {
      discardAll();
    }
    if (admin != null) {
      admin.close();
      admin = null;
    }
    ShardProducerPool.leave();
  }

  private ShardProducer borrow(String shardId) {
    return ShardProducerPool.borrow(
        shardId, () -> ShardProducer.open(producerConfig, admin(), topic, shardId, faults));
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
      if (shard.getValue().commit()) {
        transactions.inc();
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

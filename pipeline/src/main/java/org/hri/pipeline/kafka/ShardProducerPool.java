package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The shard producers of this JVM, lent to one transaction at a time. A producer goes back to the pool only
 * after its transaction committed, so a borrower never finds one with another attempt's records in it; a
 * transaction that fails closes its producer instead, and the next borrower opens a new one, which fences the
 * old.
 *
 * <p>Runners hand a key's elements to one bundle at a time, but may run a shard's bundles in different DoFn
 * instances of the same JVM: sharing the producers keeps those from fencing each other. A shard still lent
 * out when it is asked for again belongs to a transaction whose task died without tearing down: its producer
 * is replaced, and closed if it ever comes back.
 */
final class ShardProducerPool {
  private static final Map<String, ShardProducer> IDLE = new HashMap<>();
  private static final Map<String, ShardProducer> LENT = new HashMap<>();
  private static int users;

  private ShardProducerPool() {}

  /** A DoFn instance begins using the pool. */
  static synchronized void join() {
    users++;
  }

  /** A DoFn instance stops using it; the last one closes the idle producers (a job cancelled, a task undeployed). */
  static void leave() {
    List<ShardProducer> closing = new ArrayList<>();
    synchronized (ShardProducerPool.class) {
      if (--users == 0) {
        closing.addAll(IDLE.values());
        IDLE.clear();
      }
    }
    closing.forEach(ShardProducer::close);
  }

  /** Lends the shard's idle producer, or a new one from {@code open}. */
  static ShardProducer borrow(String shardId, Supplier<ShardProducer> open) {
    synchronized (ShardProducerPool.class) {
      ShardProducer idle = IDLE.remove(shardId);
      if (idle != null) {
        LENT.put(shardId, idle);
        return idle;
      }
    }
    ShardProducer opened = open.get();
    synchronized (ShardProducerPool.class) {
      LENT.put(shardId, opened);
    }
    return opened;
  }

  /** Takes back a producer with no open transaction; closes it if it was replaced meanwhile. */
  static void giveBack(String shardId, ShardProducer producer) {
    synchronized (ShardProducerPool.class) {
      if (LENT.remove(shardId, producer)) {
        IDLE.put(shardId, producer);
        return;
      }
    }
    producer.close();
  }

  /** Closes a producer whose transaction failed: it is aborted by the next producer of the shard. */
  static void discard(String shardId, ShardProducer producer) {
    synchronized (ShardProducerPool.class) {
      LENT.remove(shardId, producer);
    }
    producer.close();
  }
}

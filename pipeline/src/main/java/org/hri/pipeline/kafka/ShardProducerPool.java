package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The shard producers of this JVM, lent to one bundle at a time. A producer goes back to the pool only after
 * its transaction committed, so a borrower never finds one with another attempt's records in it; a bundle
 * that fails closes its producers instead, and the next borrower opens a new one, which fences the old.
 *
 * <p>Runners give each shard to one worker at a time, but may run a shard's bundles in different DoFn
 * instances of the same JVM: sharing the producers keeps those from fencing each other.
 */
final class ShardProducerPool {
  /** How long a borrower waits for a shard still lent out before it takes that borrower for dead. */
  static final Duration LEND_TIMEOUT = Duration.ofSeconds(60);

  private static final Map<String, ShardProducer> IDLE = new HashMap<>();
  private static final Set<String> LENT = new HashSet<>();
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

  /** True when {@code shardId} is lent out: borrowing it now would wait. */
  static synchronized boolean isLent(String shardId) {
    return LENT.contains(shardId);
  }

  /** Lends the shard's producer, opening one when none is idle. */
  static ShardProducer borrow(String shardId, Supplier<ShardProducer> open) {
    ShardProducer idle;
    synchronized (ShardProducerPool.class) {
      long deadline = System.nanoTime() + LEND_TIMEOUT.toNanos();
      while (LENT.contains(shardId) && System.nanoTime() < deadline) {
        try {
          ShardProducerPool.class.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for writer shard " + shardId, e);
        }
      }
      LENT.add(shardId);
      idle = IDLE.remove(shardId);
    }
    if (idle != null) {
      return idle;
    }
    try {
      return open.get();
    } catch (RuntimeException e) {
      release(shardId);
      throw e;
    }
  }

  /** Takes back a producer with no open transaction. */
  static void giveBack(String shardId, ShardProducer producer) {
    synchronized (ShardProducerPool.class) {
      IDLE.put(shardId, producer);
      release(shardId);
    }
  }

  /** Closes a producer whose bundle failed: its open transaction is aborted by the next one of the shard. */
  static void discard(String shardId, ShardProducer producer) {
    release(shardId);
    producer.close();
  }

  private static synchronized void release(String shardId) {
    LENT.remove(shardId);
    ShardProducerPool.class.notifyAll();
  }
}

package org.hri.local.mgmt;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hri.testing.KafkaBroker;

/**
 * Streams whose topics were created up front in one admin call (creating topics one test at a time costs
 * more than the tests themselves). Every {@link #take()} hands out a stream no other test uses.
 */
final class StreamPool {
  private final KafkaBroker broker;
  private final String tenant; // null: a new tenant per stream
  private final Deque<Stream> ready = new ArrayDeque<>();

  private StreamPool(KafkaBroker broker, String tenant) {
    this.broker = broker;
    this.tenant = tenant;
  }

  /** {@code size} streams, each with its own tenant when {@code tenant} is null. */
  static StreamPool create(KafkaBroker broker, int size, String tenant) {
    StreamPool pool = new StreamPool(broker, tenant);
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      Stream s = pool.newStream();
      topics.put(s.in(), 1);
      topics.put(s.notification(), 1);
      pool.ready.add(s);
    }
    broker.createTopics(topics);
    return pool;
  }

  /** A stream with existing topics that no test has used. */
  synchronized Stream take() {
    Stream s = ready.poll();
    return s != null ? s : newStream().create(broker);
  }

  private Stream newStream() {
    return tenant == null ? Stream.unique() : Stream.unique(tenant);
  }
}

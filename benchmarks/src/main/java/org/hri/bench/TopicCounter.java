package org.hri.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the committed records of a topic as they arrive: when the first measured one was appended (broker
 * clock, the topics use append time) and when the count reached a target (this machine's clock, which is the
 * broker's). The first {@code warmup} records by append time are counted but not measured, so a measurement
 * shows the steady state rather than the JIT compiling a young JVM. (By append time, not in the order read: a
 * topic's partitions are read one batch at a time, so a record read late may have been appended early.)
 */
final class TopicCounter implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(20);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final int warmup;
  private final List<Appended> appended = new ArrayList<>();

  TopicCounter(String brokers, String topic) {
    this(brokers, topic, 0);
  }

  TopicCounter(String brokers, String topic, int warmup) {
    this.warmup = warmup;
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(PartitionInfo::partition)
        .map(p -> new TopicPartition(topic, p))
        .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private record Appended(long timestampMs, int bytes) {}

  /** What was seen once {@code target} records were counted: the measured ones, after the warm-up. */
  record Arrival(long records, long bytes, long firstAppendMs, long lastAppendMs, long completedMs) {
    /**
     * This arrival ending when its last record was appended: for a writer without transactions, whose records
     * are visible from then on. The counter decompresses every record and can read behind a fast writer; its
     * own count would then measure the counter.
     */
    Arrival endingAtLastAppend() {
      return new Arrival(records, bytes, firstAppendMs, lastAppendMs, Math.min(completedMs, lastAppendMs));
    }

    double seconds() {
      return Math.max(1, completedMs - firstAppendMs) / 1000.0;
    }
  }

  /**
   * Polls until {@code target} records were counted; fails when {@code alive} turns false or the deadline
   * passes.
   */
  Arrival await(long target, Duration deadline, ChildJvm producer) throws InterruptedException {
    long end = System.currentTimeMillis() + deadline.toMillis();
    while (appended.size() < target) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("only " + appended.size() + " of " + target + " records after " + deadline);
      }
      if (producer != null) {
        producer.checkAlive();
      }
      poll();
    }
    long completedMs = System.currentTimeMillis();
    List<Appended> measured = appended.stream()
        .sorted(Comparator.comparingLong(Appended::timestampMs))
        .skip(warmup)
        .toList();
    return new Arrival(measured.size(), measured.stream().mapToLong(Appended::bytes).sum(),
        measured.get(0).timestampMs(), measured.get(measured.size() - 1).timestampMs(), completedMs);
  }

  /** Reads to the end of the topic and returns how many records it holds. */
  long countAll() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    long deadline = System.currentTimeMillis() + 30_000;
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
        && System.currentTimeMillis() < deadline) {
      poll();
    }
    return appended.size();
  }

  private void poll() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
      appended.add(new Appended(record.timestamp(), record.value() == null ? 0 : record.value().length));
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}

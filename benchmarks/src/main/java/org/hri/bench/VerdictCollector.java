package org.hri.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;

/**
 * Follows a notification topic on a thread of its own and keeps, per batch, the first verdict the job wrote
 * and when it became visible to a read_committed consumer (this machine's clock).
 */
final class VerdictCollector implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(10);

  record Verdict(BatchStatus status, long seenMs) {}

  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
  private final AtomicLong unreadable = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  VerdictCollector(String brokers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partition = List.of(new TopicPartition(topic, 0));
    consumer.assign(partition);
    consumer.seekToBeginning(partition);
    thread = new Thread(() -> follow(consumer), "verdicts-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(KafkaConsumer<byte[], byte[]> consumer) {
    try (consumer) {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          long now = System.currentTimeMillis();
          try {
            BatchNotification n = BatchNotification.fromJson(record.value());
            if (n.status() == BatchStatus.COMPLETED || n.status() == BatchStatus.FAILED) {
              verdicts.putIfAbsent(n.id(), new Verdict(n.status(), now));
            }
          } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
          }
        }
      }
    }
  }

  Verdict verdict(String batchId) {
    return verdicts.get(batchId);
  }

  long count(BatchStatus status) {
    return verdicts.values().stream().filter(v -> v.status() == status).count();
  }

  /** Waits until {@code total} verdicts were seen; fails at the deadline or when the job ends. */
  void awaitTotal(long total, Duration deadline, ChildJvm job) throws InterruptedException {
    long end = System.currentTimeMillis() + deadline.toMillis();
    while (verdicts.size() < total) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("only " + verdicts.size() + " of " + total + " verdicts after " + deadline);
      }
      job.checkAlive();
      Thread.sleep(20); // polling a map another thread fills; the deadline bounds it
    }
  }

  int size() {
    return verdicts.size();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}

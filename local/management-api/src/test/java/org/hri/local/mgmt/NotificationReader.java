package org.hri.local.mgmt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.testing.KafkaBroker;

/**
 * Reads a notification topic from the beginning to its end (read_committed) with one long-lived consumer, so
 * that the many reads of a test class do not each pay for a new consumer. The API acknowledges a write before
 * it answers, so "to its end" is everything it wrote.
 */
final class NotificationReader implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final KafkaConsumer<byte[], byte[]> consumer;

  NotificationReader(KafkaBroker broker) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "mgmt-test-notification-reader");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumer = new KafkaConsumer<>(c);
  }

  /** Every record of the topic, in offset order within each partition. */
  synchronized List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!atEnd(end)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Could not read " + topic + " to its end");
      }
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    consumer.assign(List.of());
    return records;
  }

  private boolean atEnd(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}

package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.pipeline.kafka.WriterFaults.Step;

/**
 * One shard of the exactly-once writer: a transactional producer whose id belongs to the shard, and the
 * shard's committed position, kept in a consumer group of its own and committed in the same transactions.
 */
final class ShardProducer implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaProducer<byte[], byte[]> producer;
  private final ConsumerGroupMetadata group;
  private final TopicPartition positionKey;
  private final WriterFaults faults;
  private CommittedPosition committed;
  private SequencedRecord lastSent;

  private ShardProducer(
      KafkaProducer<byte[], byte[]> producer, ConsumerGroupMetadata group, TopicPartition positionKey,
      WriterFaults faults, CommittedPosition committed) {
    this.producer = producer;
    this.group = group;
    this.positionKey = positionKey;
    this.faults = faults;
    this.committed = committed;
  }

  /**
   * Opens the shard: {@code initTransactions} fences every earlier producer of the shard and ends its open
   * transaction, and only then is the committed position read, so it is final.
   */
  static ShardProducer open(
      Map<String, Object> producerConfig, Admin admin, String topic, String shardId, WriterFaults faults) {
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, shardId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
      TopicPartition positionKey = new TopicPartition(topic, 0);
      CommittedPosition committed =
          CommittedPosition.fromOffset(
              admin
                  .listConsumerGroupOffsets(shardId, new ListConsumerGroupOffsetsOptions().requireStable(true))
                  .partitionsToOffsetAndMetadata()
                  .get()
                  .get(positionKey));
      return new ShardProducer(producer, new ConsumerGroupMetadata(shardId), positionKey, faults, committed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.close(Duration.ZERO);
      throw new KafkaException("Interrupted while reading the position of " + shardId, e);
    } catch (ExecutionException | RuntimeException e) {
      producer.close(Duration.ZERO);
      throw new KafkaException("Cannot open exactly-once writer shard " + shardId, e);
    }
  }

  /**
   * Sends {@code record} in the open transaction, beginning one if needed; false, and nothing sent, for a
   * record a committed transaction already holds (a replay after a restore).
   */
  boolean send(SequencedRecord record) {
    if (committed.covers(record.run(), record.sequence())) {
      return false;
    }
    if (lastSent == null) {
      producer.beginTransaction();
    }
    producer.send(record.record());
    lastSent = record;
    faults.at(Step.AFTER_SEND);
    return true;
  }

  /** Commits the open transaction, if any, with the shard's new position; true if there was one. */
  boolean commit() {
    if (lastSent == null) {
      return false;
    }
    CommittedPosition next = CommittedPosition.after(lastSent.run(), lastSent.sequence());
    producer.sendOffsetsToTransaction(Map.of(positionKey, next.toOffset()), group);
    faults.at(Step.BEFORE_COMMIT);
    producer.commitTransaction(); // flushes first, and fails if any send of the transaction failed
    committed = next;
    lastSent = null;
    faults.at(Step.AFTER_COMMIT);
    return true;
  }

  /** Closes without committing: an open transaction is aborted by the broker or by the shard's next producer. */
  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }
}

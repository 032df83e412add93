package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
  private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(60);

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
      CommittedPosition committed = CommittedPosition.fromOffset(readPosition(admin, shardId, positionKey));
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
   * The shard's committed offset, null if none. The broker leaves a partition out of its answer while a
   * transaction's offsets for it are pending (they are not, once {@code initTransactions} returned, but
   * nothing else may be trusted), so the read is repeated until the answer holds it.
   */
  private static OffsetAndMetadata readPosition(Admin admin, String shardId, TopicPartition positionKey)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + POSITION_TIMEOUT.toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(
                  Map.of(shardId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(positionKey))),
                  new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata(shardId)
              .get();
      if (offsets.containsKey(positionKey)) { // null: nothing committed
        return offsets.get(positionKey);
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException("The position of " + shardId + " stayed unstable for " + POSITION_TIMEOUT);
      }
      Thread.sleep(100);
    }
  }

  /** The first sequence number of {@code run} that no committed transaction of the shard holds. */
  long nextSequenceOf(long run) {
    return committed.nextSequenceOf(run);
  }

  /** Sends {@code record} in the open transaction, beginning one if needed. Records go in sequence order. */
  void send(SequencedRecord record) {
    if (lastSent == null) {
      producer.beginTransaction();
    }
    producer.send(record.record());
    lastSent = record;
    faults.at(Step.AFTER_SEND);
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

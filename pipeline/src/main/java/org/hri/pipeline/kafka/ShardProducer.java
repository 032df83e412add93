package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.pipeline.kafka.WriterFaults.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard of the exactly-once writer: a transactional producer whose id belongs to the shard, and the
 * shard's committed position, kept in a consumer group of its own and committed in the same transactions.
 */
final class ShardProducer implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(ShardProducer.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final ConsumerGroupMetadata group;
  private final TopicPartition positionKey;
  private CommittedPosition committed;
  /** The last number sent in the open transaction, by run, the latest run last; empty when none is open. */
  private final Map<Long, Long> sentByRun = new LinkedHashMap<>();

  private ShardProducer(
      KafkaProducer<byte[], byte[]> producer, ConsumerGroupMetadata group, TopicPartition positionKey,
      CommittedPosition committed) {
    this.producer = producer;
    this.group = group;
    this.positionKey = positionKey;
    this.committed = committed;
  }

  /**
   * Opens the shard: {@code initTransactions} fences every earlier producer of the shard and ends its open
   * transaction, and only then is the committed position read, so it is final.
   */
  static ShardProducer open(
      Map<String, Object> producerConfig, Admin admin, String topic, String shardId) {
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, shardId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
      return new ShardProducer(
          producer, new ConsumerGroupMetadata(shardId), CommittedPosition.key(topic),
          CommittedPosition.read(admin, topic, shardId));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.close(Duration.ZERO);
      throw new KafkaException("Interrupted while reading the position of " + shardId, e);
    } catch (ExecutionException | RuntimeException e) {
      producer.close(Duration.ZERO);
      throw new KafkaException("Cannot open exactly-once writer shard " + shardId, e);
    }
  }

  /** The first sequence number of {@code run} that no committed transaction of the shard holds. */
  long nextSequenceOf(long run) {
    return committed.nextSequenceOf(run);
  }

  /**
   * Sends record {@code sequence} of {@code run} in the open transaction, beginning one if needed. Records go
   * in sequence order. {@code faults} belong to the borrower, not to the pooled producer.
   */
  void send(long run, long sequence, ProducerRecord<byte[], byte[]> record, WriterFaults faults) {
    if (sentByRun.isEmpty()) {
      producer.beginTransaction();
    }
    producer.send(record);
    sentByRun.remove(run);
    sentByRun.put(run, sequence);
    faults.at(Step.AFTER_SEND);
  }

  /** Commits the open transaction, if any, with the shard's new position; true if there was one. */
  boolean commit(WriterFaults faults) {
    if (sentByRun.isEmpty()) {
      return false;
    }
    CommittedPosition next = committed;
    for (Map.Entry<Long, Long> sent : sentByRun.entrySet()) {
      next = next.with(sent.getKey(), sent.getValue());
    }
    producer.sendOffsetsToTransaction(Map.of(positionKey, next.toOffset()), group);
    faults.at(Step.BEFORE_COMMIT);
    producer.commitTransaction(); // flushes first, and fails if any send of the transaction failed
    committed = next;
    sentByRun.clear();
    faults.at(Step.AFTER_COMMIT);
    return true;
  }

  /**
   * Closes without committing: an open transaction is aborted. Never throws: an interrupted task (Flink
   * cancels tasks that way) makes Kafka's close fail, and the producers after this one must still close.
   */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("Closing a producer of the exactly-once writer failed: {}", e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

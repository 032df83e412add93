package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka producer that sends the records packed in each {@link HeaderEnvelope}, with their own keys and headers.
 *
 * <p>It also aborts a transaction still open when a new one begins. Beam's exactly-once writer caches its
 * producers per JVM; when a task fails between beginning and committing a transaction and Flink restarts the
 * task in the same TaskManager, the cached producer is still in that transaction, and every later attempt
 * would fail with "Invalid transition attempted from state IN_TRANSACTION to state IN_TRANSACTION". The open
 * transaction belongs to the failed attempt, so aborting it is what recovery requires anyway.
 */
final class HeaderPreservingProducer implements Producer<byte[], byte[]> {
  private final Producer<byte[], byte[]> delegate;
  private volatile boolean inTransaction;

  HeaderPreservingProducer(Producer<byte[], byte[]> delegate) {
    this.delegate = delegate;
  }

  /** The producer factory handed to KafkaIO: a plain producer from the sink's config, wrapped. */
  static Producer<byte[], byte[]> create(Map<String, Object> config) {
    return new HeaderPreservingProducer(new KafkaProducer<>(config));
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> envelope) {
    return send(envelope, null);
  }

  /**
   * Sends the packed records; the callback follows the last one. A failed earlier send also fails the
   * transaction's commit, which is what the sink relies on.
   */
  @Override
  public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> envelope, Callback callback) {
    List<ProducerRecord<byte[], byte[]>> records = HeaderEnvelope.unwrap(envelope);
    for (int i = 0; i < records.size() - 1; i++) {
      delegate.send(records.get(i));
    }
    return delegate.send(records.get(records.size() - 1), callback);
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    if (inTransaction) {
      delegate.abortTransaction();
    }
    delegate.beginTransaction();
    inTransaction = true;
  }

  @Override
  @Deprecated
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    delegate.sendOffsetsToTransaction(offsets, consumerGroupId);
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
    inTransaction = false;
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
    inTransaction = false;
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}

package org.hri.bench;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;

/**
 * One HRI stream on the benchmark's broker: its four topics, stamped with the broker's append time so that
 * every time measured on them comes from one clock, and a producer that writes batches as an integrator and
 * the Management API would. Closing it deletes the topics: a run's small records take gigabytes.
 */
final class IngestStream implements AutoCloseable {
  static final int INPUT_PARTITIONS = 2;
  private static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 22, 0, 0, 0, 0, ZoneOffset.UTC);

  final TopicNames topics;
  private final KafkaBroker broker;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

  private IngestStream(TopicNames topics, KafkaBroker broker) {
    this.topics = topics;
    this.broker = broker;
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10_485_760);
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates {@code ingest.bench.<name>.in} and the other three topics of its stream. */
  static IngestStream create(KafkaBroker broker, String name) {
    TopicNames topics = TopicNames.forInput("ingest.bench." + name + ".in");
    broker.createTopics(
        Map.of(topics.input(), INPUT_PARTITIONS, topics.output(), INPUT_PARTITIONS, topics.invalid(), 1,
            topics.notification(), 1),
        Map.of("message.timestamp.type", "LogAppendTime"));
    return new IngestStream(topics, broker);
  }

  static String batchId(String stream, int batch) {
    return stream + "-batch-" + batch;
  }

  static BatchNotification started(String id, String topic) {
    return new BatchNotification(id, "benchmark " + id, "bench", topic, "claims", BatchStatus.STARTED, START,
        null, null, null, null, BatchNotification.NO_THRESHOLD, null, null, null);
  }

  static BatchNotification sendCompleted(String id, String topic, long expected) {
    return new BatchNotification(id, "benchmark " + id, "bench", topic, "claims", BatchStatus.SEND_COMPLETED,
        START, null, expected, expected, null, BatchNotification.NO_THRESHOLD, null, null, null);
  }

  Future<RecordMetadata> notify(BatchNotification notification) {
    return producer.send(new ProducerRecord<>(
        topics.notification(), notification.id().getBytes(StandardCharsets.UTF_8), notification.toJson()),
        this::checkSent);
  }

  Future<RecordMetadata> send(String batchId, byte[] body) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.input(), null, body);
    record.headers().add(new RecordHeader("batchId", batchId.getBytes(StandardCharsets.UTF_8)));
    return producer.send(record, this::checkSent);
  }

  private void checkSent(RecordMetadata metadata, Exception failure) {
    if (failure != null) {
      sendFailure.compareAndSet(null, failure);
    }
  }

  /**
   * Writes the data set as {@code batches} batches: all started, then their records, then all sendCompleted,
   * and waits until the broker has all of it.
   */
  void load(Dataset data, int batches, String streamName) {
    int perBatch = (data.records() + batches - 1) / batches;
    for (int b = 0; b < batches; b++) {
      notify(started(batchId(streamName, b), topics.input()));
    }
    flush();
    for (int i = 0; i < data.records(); i++) {
      send(batchId(streamName, i / perBatch), data.body(i));
    }
    for (int b = 0; b < batches; b++) {
      long expected = Math.max(0, Math.min(perBatch, data.records() - (long) b * perBatch));
      notify(sendCompleted(batchId(streamName, b), topics.input(), expected));
    }
    flush();
  }

  /** Waits until everything sent is on the broker; fails if anything could not be written. */
  void flush() {
    producer.flush();
    if (sendFailure.get() != null) {
      throw new IllegalStateException("could not write to " + topics.input() + "'s stream", sendFailure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
    broker.deleteTopics(List.of(topics.input(), topics.output(), topics.invalid(), topics.notification()));
  }
}

package org.hri.local.mgmt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch notification topics: writes a notification and waits for the broker's acknowledgement, checks
 * that a topic exists, reads every notification topic from the beginning (to rebuild the batch store) and
 * tells whether Kafka is reachable.
 */
final class NotificationLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationLog.class);
  private static final Duration MAX_HEALTH_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration MAX_POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final Duration timeout;
  private final Duration healthTimeout;
  private final Admin admin;
  private final Map<String, Object> baseConfig;
  private volatile KafkaProducer<byte[], byte[]> producer; // created on first write

  /** A notification could not be written; the message is the ErrorDetail's description. */
  static final class WriteFailure extends Exception {
    private static final long serialVersionUID = 1L;

    WriteFailure(String message) {
      super(message, null, false, false);
    }
  }

  NotificationLog(LocalManagementApi.Config config) {
    this.bootstrapServers = config.bootstrapServers();
    this.timeout = config.kafkaTimeout();
    this.healthTimeout = timeout.compareTo(MAX_HEALTH_TIMEOUT) < 0 ? timeout : MAX_HEALTH_TIMEOUT;
    Map<String, Object> base = new HashMap<>(config.kafkaProperties());
    base.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.baseConfig = Map.copyOf(base);
    Map<String, Object> adminConfig = new HashMap<>(baseConfig);
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "hri-local-mgmt-api-admin");
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis() / 2));
    this.admin = Admin.create(adminConfig);
  }

  /** The notification topic of a batch whose input topic is {@code topic} (spec §1.2). */
  static String notificationTopic(String topic) {
    return topic.endsWith(".in")
        ? topic.substring(0, topic.length() - ".in".length()) + ".notification"
        : topic + ".notification";
  }

  /** Whether a notification topic name is one the store is rebuilt from: {@code ingest.*.notification}. */
  static boolean isNotificationTopic(String topic) {
    return topic.startsWith("ingest.") && topic.endsWith(".notification");
  }

  /** The tenant a notification topic belongs to: the second element of its name. */
  static String tenantOf(String notificationTopic) {
    String[] parts = notificationTopic.split("\\.");
    return parts.length >= 3 ? parts[1] : "";
  }

  /**
   * Writes one notification (key = batch id) and returns once the broker acknowledged it. The topic must
   * already exist: the broker may create unknown topics automatically, the real Management API does not.
   */
  void write(String topic, String batchId, byte[] notification) throws WriteFailure {
    checkTopicExists(topic);
    try {
      await(producer().send(new ProducerRecord<>(topic, batchId.getBytes(StandardCharsets.UTF_8), notification)),
          "no acknowledgement", NotificationLog::describe);
    } catch (RuntimeException e) {
      throw new WriteFailure("kafka producer error: " + describe(e));
    }
  }

  private void checkTopicExists(String topic) throws WriteFailure {
    await(admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
            .allTopicNames(), "Kafka did not answer",
        cause -> cause instanceof UnknownTopicOrPartitionException
            ? "Broker: Unknown topic or partition (topic '" + topic + "')" : describe(cause));
  }

  /** Waits for a Kafka call; each way it can fail is a WriteFailure, {@code failure} naming a failed call. */
  private void await(Future<?> call, String noAnswer, Function<Throwable, String> failure) throws WriteFailure {
    try {
      call.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new WriteFailure("kafka producer error: " + failure.apply(e.getCause()));
    } catch (TimeoutException e) {
      throw new WriteFailure("kafka producer error: " + noAnswer + " within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriteFailure("kafka producer error: interrupted");
    }
  }

  /** Whether the cluster answers a metadata request within the Kafka timeout, at most 3 s. */
  boolean healthy() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) healthTimeout.toMillis()))
          .nodes().get(healthTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Kafka health check failed: {}", describe(e instanceof ExecutionException ? e.getCause() : e));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Reads every {@code ingest.*.notification} topic from the beginning to its current end (read_committed)
   * and hands each record (topic, value) to {@code sink}, in offset order within a partition.
   *
   * @return the number of records read
   * @throws IllegalStateException if Kafka cannot be reached or the topics cannot be read within the timeout
   */
  long replay(BiConsumer<String, byte[]> sink) {
    Set<String> names;
    try {
      names = admin.listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
          .names().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers + " is not reachable: "
          + describe(e instanceof ExecutionException ? e.getCause() : e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing the Kafka topics", e);
    }
    List<String> topics = names.stream().filter(NotificationLog::isNotificationTopic).sorted().toList();
    if (topics.isEmpty()) {
      return 0;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
        new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis())).topicNameValues();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
      try {
        e.getValue().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).partitions()
            .forEach(p -> partitions.add(new TopicPartition(e.getKey(), p.partition())));
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) { // deleted meanwhile: nothing to read
          throw new IllegalStateException("Could not describe " + e.getKey() + ": " + describe(ex.getCause()), ex);
        }
      } catch (TimeoutException ex) {
        throw new IllegalStateException("Could not describe " + e.getKey() + " within " + timeout.toSeconds() + " s");
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while describing the notification topics", ex);
      }
    }
    Map<String, Object> c = new HashMap<>(baseConfig);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hri-local-mgmt-api-replay");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.multipliedBy(3).toNanos();
      while (!atEnd(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read the notification topics to their end within "
              + timeout.multipliedBy(3).toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(MAX_POLL)) {
          sink.accept(record.topic(), record.value());
          count++;
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException("Could not read the notification topics: " + describe(e), e);
    }
    LOG.info("Read {} notifications from {} notification topics", count, topics.size());
    return count;
  }

  private boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), timeout) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    KafkaProducer<byte[], byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        p = producer;
        if (p == null) {
          Map<String, Object> c = new HashMap<>(baseConfig);
          c.put(ProducerConfig.CLIENT_ID_CONFIG, "hri-local-mgmt-api");
          c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
          c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
          c.put(ProducerConfig.ACKS_CONFIG, "all");
          c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          int ms = (int) timeout.toMillis();
          c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
          c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, ms / 2));
          c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1000, ms / 2) + ms / 2);
          p = new KafkaProducer<>(c);
          producer = p;
        }
      }
    }
    return p;
  }

  /** An exception's class and message; Kafka client messages name topics and brokers, never payloads. */
  private static String describe(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    KafkaProducer<byte[], byte[]> p;
    synchronized (this) {
      p = producer;
      producer = null;
    }
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
    admin.close(Duration.ofSeconds(5));
  }
}

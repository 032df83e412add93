package org.hri.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A small helper for tests that write to and read from a Kafka broker with {@code byte[]} keys and values.
 *
 * <p>Writing: every {@code send} returns only when the broker has acknowledged the record ({@code acks=all}), so the
 * returned {@link RecordMetadata} has the record's partition and offset.
 *
 * <pre>{@code
 * kafka.send(topic, "key-1", "{\"a\":1}", headers("batchId", "b1", "trace", "t1", "trace", null));
 * kafka.send(topic, (byte[]) null, null);          // null key, null value, no headers
 * }</pre>
 *
 * <p>Reading: every read opens its own consumer, {@code assign}s all partitions of the topic and starts from the
 * beginning, with {@code isolation.level=read_committed} (records of open or aborted transactions are never seen). No
 * consumer group is used and no offsets are committed, so reads don't interfere with the code under test. Records
 * are returned in arrival order: in offset order within a partition, in no particular order across partitions.
 *
 * <ul>
 *   <li>{@link #readExactly}: waits for {@code count} records, then checks during a quiet period that no more
 *       arrive. Fails with an {@link AssertionError} either way, so a test can assert exact counts.</li>
 *   <li>{@link #readUntil}: waits until a condition on the records read so far holds.</li>
 *   <li>{@link #readAll}: whatever the topic holds now, plus what arrives during a quiet period.</li>
 * </ul>
 *
 * <p>A topic that does not exist yet is waited for (reads never create topics). Partitions added while reading are
 * not seen. Thread-safe; close it (or let {@link KafkaBrokerExtension} close it) to release the producers.
 */
public final class KafkaTestClient implements AutoCloseable {

  /** How long {@link #readExactly(String, int, Duration)} waits for extra records after the expected ones. */
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(1);

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_POLL = Duration.ofMillis(200);
  private static final Duration NO_TOPIC_RETRY = Duration.ofMillis(50);
  private static final int MAX_RECORDS_IN_MESSAGE = 20;
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  private final String bootstrapServers;
  private final String clientId = "hri-test-client-" + CLIENT_IDS.incrementAndGet();
  private final List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>(); // guarded by this
  private KafkaProducer<byte[], byte[]> producer; // guarded by this
  private volatile Duration quietPeriod = DEFAULT_QUIET_PERIOD;
  private boolean closed; // guarded by this

  public KafkaTestClient(KafkaBroker broker) {
    this(broker.bootstrapServers());
  }

  public KafkaTestClient(String bootstrapServers) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
  }

  /** Sets the quiet period used by {@link #readExactly(String, int, Duration)}; returns this client. */
  public KafkaTestClient quietPeriod(Duration quietPeriod) {
    this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
    return this;
  }

  public Duration quietPeriod() {
    return quietPeriod;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Headers

  /** A header with a UTF-8 value; {@code value} may be null (a header without value). */
  public static Header header(String key, String value) {
    return new RecordHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Headers from alternating keys and UTF-8 values, in order: {@code headers("k1", "v1", "k1", "v2", "k2", null)}.
   * Keys may repeat; values may be null.
   */
  public static List<Header> headers(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers(...) needs key/value pairs, got " + keysAndValues.length + " strings");
    }
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      headers.add(header(keysAndValues[i], keysAndValues[i + 1]));
    }
    return headers;
  }

  /** Headers from a map, in the map's iteration order (use a {@link java.util.LinkedHashMap} to fix it). */
  public static List<Header> headers(Map<String, String> keysAndValues) {
    List<Header> headers = new ArrayList<>();
    keysAndValues.forEach((k, v) -> headers.add(header(k, v)));
    return headers;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sending

  /** Sends a record with no headers; key and value may be null. Returns once the broker acknowledged it. */
  public RecordMetadata send(String topic, byte[] key, byte[] value) {
    return send(topic, key, value, List.of());
  }

  /**
   * Sends a record; key, value and {@code headers} may be null, headers are kept in order (keys may repeat, values
   * may be null). Returns once the broker acknowledged it.
   */
  public RecordMetadata send(String topic, byte[] key, byte[] value, List<Header> headers) {
    return send(new ProducerRecord<>(topic, null, key, value, headers == null ? List.of() : headers));
  }

  /** {@link #send(String, byte[], byte[])} with UTF-8 key and value (either may be null). */
  public RecordMetadata send(String topic, String key, String value) {
    return send(topic, utf8(key), utf8(value), List.of());
  }

  /** {@link #send(String, byte[], byte[], List)} with UTF-8 key and value (either may be null). */
  public RecordMetadata send(String topic, String key, String value, List<Header> headers) {
    return send(topic, utf8(key), utf8(value), headers);
  }

  /** Sends any record (e.g. to a given partition or with a timestamp). Returns once the broker acknowledged it. */
  public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
    try {
      return producer().send(record).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not send to " + record.topic() + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted sending to " + record.topic(), e);
    }
  }

  /**
   * A new transactional producer ({@code initTransactions()} already called), for tests that need aborted or
   * open transactions. Use {@code beginTransaction()}, {@code send(...)}, {@code commitTransaction()} /
   * {@code abortTransaction()}. Closed with this client.
   */
  public synchronized KafkaProducer<byte[], byte[]> newTransactionalProducer(String transactionalId) {
    Map<String, Object> config = producerConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-tx-" + transactionalId);
    KafkaProducer<byte[], byte[]> p = track(new KafkaProducer<>(config));
    p.initTransactions();
    return p;
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> config = producerConfig();
      config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
      producer = track(new KafkaProducer<>(config));
    }
    return producer;
  }

  private KafkaProducer<byte[], byte[]> track(KafkaProducer<byte[], byte[]> p) {
    if (closed) {
      p.close(Duration.ZERO);
      throw new IllegalStateException("KafkaTestClient is closed");
    }
    producers.add(p);
    return p;
  }

  private Map<String, Object> producerConfig() {
    return idempotentProducerConfig(bootstrapServers, SEND_TIMEOUT);
  }

  /**
   * A byte-array producer that waits for all replicas, idempotent, without linger, blocking and delivering
   * within {@code sendTimeout} (requests within half of it). A fresh map, for callers to adjust.
   */
  public static Map<String, Object> idempotentProducerConfig(String bootstrapServers, Duration sendTimeout) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) sendTimeout.toMillis());
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis() / 2);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
    return c;
  }

  /**
   * A byte-array consumer that reads committed records only (transactional writers), from the earliest offset,
   * with no group commits and no topic auto-creation: for readers that assign partitions themselves.
   */
  public static Map<String, Object> readCommittedConsumerConfig(String bootstrapServers, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return c;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  /** {@link #readExactly(String, int, Duration, Duration)} with this client's {@link #quietPeriod()}. */
  public List<ConsumerRecord<byte[], byte[]>> readExactly(String topic, int count, Duration deadline) {
    return readExactly(topic, count, deadline, quietPeriod);
  }

  /**
   * Reads the topic from the beginning until {@code count} committed records have arrived, then keeps reading for
   * {@code quietPeriod} to make sure no more arrive.
   *
   * @param deadline how long to wait for the {@code count} records
   * @throws AssertionError if fewer than {@code count} records arrived within {@code deadline}, or more than
   *     {@code count} arrived (before or during the quiet period); the message says how many and shows them
   */
  public List<ConsumerRecord<byte[], byte[]>> readExactly(
      String topic, int count, Duration deadline, Duration quietPeriod) {
    try (Reader reader = new Reader(topic)) {
      long end = System.nanoTime() + deadline.toNanos();
      while (reader.records.size() < count && System.nanoTime() < end) {
        reader.poll(end);
      }
      if (reader.records.size() < count) {
        throw new AssertionError("Expected " + count + " records on topic '" + topic + "' within " + deadline
            + " but only " + reader.records.size() + " arrived" + describe(reader.records));
      }
      long quietEnd = System.nanoTime() + quietPeriod.toNanos();
      while (reader.records.size() == count && System.nanoTime() < quietEnd) {
        reader.poll(quietEnd);
      }
      if (reader.records.size() > count) {
        throw new AssertionError("Expected exactly " + count + " records on topic '" + topic + "' but "
            + reader.records.size() + " arrived (checked for " + quietPeriod + " after the first " + count + ")"
            + describe(reader.records));
      }
      return List.copyOf(reader.records);
    }
  }

  /**
   * Reads the topic from the beginning until {@code done} holds for the records read so far (it is tested before
   * the first poll and after every poll that brought records), and returns those records.
   *
   * @throws AssertionError if {@code done} does not hold within {@code deadline}; the message says how many records
   *     arrived and shows them
   */
  public List<ConsumerRecord<byte[], byte[]>> readUntil(
      String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration deadline) {
    try (Reader reader = new Reader(topic)) {
      long end = System.nanoTime() + deadline.toNanos();
      List<ConsumerRecord<byte[], byte[]>> view = Collections.unmodifiableList(reader.records);
      boolean satisfied = done.test(view);
      while (!satisfied && System.nanoTime() < end) {
        if (reader.poll(end) > 0) {
          satisfied = done.test(view);
        }
      }
      if (!satisfied) {
        throw new AssertionError("Condition on topic '" + topic + "' not met within " + deadline + "; "
            + reader.records.size() + " records arrived" + describe(reader.records));
      }
      return List.copyOf(reader.records);
    }
  }

  /**
   * Reads everything committed on the topic: first up to the end offsets as of the call, then whatever else arrives
   * during {@code quietPeriod}. An unknown topic gives an empty list (after waiting {@code quietPeriod} for it).
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration quietPeriod) {
    try (Reader reader = new Reader(topic)) {
      long quietEnd = System.nanoTime() + quietPeriod.toNanos();
      while (!reader.assignIfExists() && System.nanoTime() < quietEnd) {
        sleep(NO_TOPIC_RETRY);
      }
      if (reader.assigned) {
        long end = System.nanoTime() + SEND_TIMEOUT.toNanos();
        while (!reader.atEnd() && System.nanoTime() < end) {
          reader.poll(end);
        }
        if (!reader.atEnd()) {
          throw new AssertionError("Could not read topic '" + topic + "' to its end within " + SEND_TIMEOUT + "; "
              + reader.records.size() + " records arrived" + describe(reader.records));
        }
        quietEnd = System.nanoTime() + quietPeriod.toNanos();
        while (System.nanoTime() < quietEnd) {
          reader.poll(quietEnd);
        }
      }
      return List.copyOf(reader.records);
    }
  }

  /** One consumer reading one topic from the beginning. Not thread-safe; one per read call. */
  private final class Reader implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private Map<TopicPartition, Long> endOffsets;
    private boolean assigned;

    Reader(String topic) {
      this.topic = topic;
      this.consumer = new KafkaConsumer<>(readCommittedConsumerConfig(bootstrapServers, clientId + "-reader"));
    }

    /** Assigns all partitions of the topic once it exists; returns whether assigned. */
    boolean assignIfExists() {
      if (!assigned) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, SEND_TIMEOUT);
        if (infos != null && !infos.isEmpty()) {
          List<TopicPartition> partitions = new ArrayList<>();
          infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          assigned = true;
        }
      }
      return assigned;
    }

    /** Polls once, for at most {@link #MAX_POLL} and not beyond {@code endNanos}; returns the number of records. */
    int poll(long endNanos) {
      if (!assignIfExists()) {
        sleep(NO_TOPIC_RETRY);
        return 0;
      }
      long left = Math.max(0, endNanos - System.nanoTime());
      ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofNanos(Math.min(left, MAX_POLL.toNanos())));
      batch.forEach(records::add);
      return batch.count();
    }

    /** Whether the position reached the (committed) end offset, as of the first call, on every partition. */
    boolean atEnd() {
      if (endOffsets == null) {
        endOffsets = consumer.endOffsets(consumer.assignment(), SEND_TIMEOUT);
      }
      return endOffsets.entrySet().stream()
          .allMatch(e -> consumer.position(e.getKey(), SEND_TIMEOUT) >= e.getValue());
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Small helpers for assertions

  /** UTF-8 bytes of a string, null for null. */
  public static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  /** A UTF-8 string from bytes, null for null. */
  public static String utf8(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** The UTF-8 value of the last header with this key, or null if there is none (or its value is null). */
  public static String lastHeader(ConsumerRecord<?, ?> record, String key) {
    Header h = record.headers().lastHeader(key);
    return h == null ? null : utf8(h.value());
  }

  /** All headers of a record as {@code key=value} strings (UTF-8, {@code key=null} for no value), in order. */
  public static List<String> headerStrings(ConsumerRecord<?, ?> record) {
    List<String> out = new ArrayList<>();
    for (Header h : record.headers()) {
      out.add(h.key() + "=" + utf8(h.value()));
    }
    return out;
  }

  private static String describe(List<ConsumerRecord<byte[], byte[]>> records) {
    if (records.isEmpty()) {
      return ".";
    }
    StringBuilder sb = new StringBuilder(":");
    records.stream().limit(MAX_RECORDS_IN_MESSAGE).forEach(r -> sb.append("\n  ").append(r.topic()).append('-')
        .append(r.partition()).append('@').append(r.offset())
        .append(" key=").append(abbreviate(utf8(r.key())))
        .append(" value=").append(abbreviate(utf8(r.value())))
        .append(" headers=").append(headerStrings(r)));
    if (records.size() > MAX_RECORDS_IN_MESSAGE) {
      sb.append("\n  ... and ").append(records.size() - MAX_RECORDS_IN_MESSAGE).append(" more");
    }
    return sb.toString();
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  /** Closes the producers (pending sends have all been acknowledged already). Idempotent. */
  @Override
  public void close() {
    List<KafkaProducer<byte[], byte[]>> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(producers);
      producers.clear();
      producer = null;
    }
    for (KafkaProducer<byte[], byte[]> p : toClose) {
      p.close(Duration.ofSeconds(5));
    }
  }
}

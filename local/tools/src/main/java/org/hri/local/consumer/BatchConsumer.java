package org.hri.local.consumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;

/**
 * The Data Consumer of the HRI flow: waits for a batch's final notification and, when the batch completed,
 * writes its valid records to a file.
 *
 * <p>The notification topic is read from the beginning ({@code read_committed}, no consumer group, nothing
 * committed). A notification belongs to the batch when its key is the batch id (the Management API's
 * notifications) or, for a notification without key (the job's standalone notifications), when its {@code id}
 * is. Once a completed, failed or terminated one is seen, the topic is read on to its end offsets at that moment,
 * so that a later notification that supersedes it (completed → failed) wins.
 *
 * <p>For a completed batch the output topic is read from the beginning ({@code read_committed}); records whose
 * first {@code batchId} header is the batch id are written, one value per line (NDJSON), until as many as the
 * notification's {@code actualRecordCount - invalidRecordCount} were written or the end offsets were reached
 * (checked again after a short grace, for records still being written). A value holding line breaks is written
 * as compact JSON so that it stays on one line. The file is written beside the target and moved into place, so
 * it never appears half-written. Record content is never logged.
 */
public final class BatchConsumer {
  /** After reaching the end offsets with records missing, how long to look for more before giving up. */
  static final Duration END_GRACE = Duration.ofSeconds(2);
  private static final Duration MAX_POLL = Duration.ofMillis(200);
  private static final Duration NO_TOPIC_RETRY = Duration.ofMillis(100);
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
  private static final ObjectReader EXACT_JSON = Json.mapper().reader()
      .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private final TopicNames topics;
  private final Map<String, Object> clientConfig;

  /**
   * @param topics the stream's topics (notifications are read from {@code .notification}, records from
   *     {@code .out})
   * @param clientConfig Kafka client properties, at least {@code bootstrap.servers}
   */
  public BatchConsumer(TopicNames topics, Map<String, Object> clientConfig) {
    this.topics = Objects.requireNonNull(topics, "topics");
    this.clientConfig = Map.copyOf(clientConfig);
  }

  /**
   * Waits at most {@code timeout} for the batch's final notification; for a completed batch, then reads its
   * records (again for at most {@code timeout}) and writes them to {@code outputFile}, replacing it.
   *
   * @throws IOException if the output file cannot be written
   */
  public ConsumerResult awaitBatch(String batchId, Path outputFile, Duration timeout)
      throws IOException, InterruptedException {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(outputFile, "outputFile");
    BatchNotification last = awaitFinalNotification(batchId, deadline(timeout));
    if (last == null || !last.status().isFinal()) {
      return new ConsumerResult(batchId, ConsumerResult.Outcome.TIMEOUT, last, 0, null, null);
    }
    if (last.status() == BatchStatus.FAILED) {
      return new ConsumerResult(batchId, ConsumerResult.Outcome.FAILED, last, 0, null, null);
    }
    if (last.status() == BatchStatus.TERMINATED) {
      return new ConsumerResult(batchId, ConsumerResult.Outcome.TERMINATED, last, 0, null, null);
    }
    Long expected = last.actualRecordCount() == null ? null
        : last.actualRecordCount() - (last.invalidRecordCount() == null ? 0 : last.invalidRecordCount());
    long written = writeRecords(batchId, expected, outputFile, deadline(timeout));
    boolean complete = expected == null || written >= expected;
    return new ConsumerResult(batchId, complete ? ConsumerResult.Outcome.COMPLETED
        : ConsumerResult.Outcome.INCOMPLETE, last, written, expected, outputFile);
  }

  /** The batch's final notification, or the latest one seen (maybe null) when the deadline passed. */
  private BatchNotification awaitFinalNotification(String batchId, long deadline) throws InterruptedException {
    byte[] key = batchId.getBytes(StandardCharsets.UTF_8);
    try (KafkaConsumer<byte[], byte[]> consumer = newConsumer("notifications")) {
      List<TopicPartition> partitions = awaitPartitions(consumer, topics.notification(), deadline);
      if (partitions == null) {
        return null;
      }
      BatchNotification best = null;
      Map<TopicPartition, Long> stopAt = null;
      while (true) {
        if (stopAt != null && reached(consumer, stopAt)) {
          return best;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return best;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTime(left))) {
          BatchNotification notification = notificationOf(record, key, batchId);
          if (notification != null && (best == null || notification.status().supersedes(best.status()))) {
            best = notification;
          }
        }
        if (stopAt == null && best != null && best.status().isFinal()) {
          stopAt = consumer.endOffsets(partitions);
        }
      }
    }
  }

  /** The record's notification if it belongs to the batch; unreadable notifications are skipped. */
  private static BatchNotification notificationOf(ConsumerRecord<byte[], byte[]> record, byte[] key, String batchId) {
    if (record.value() == null || (record.key() != null && !Arrays.equals(record.key(), key))) {
      return null;
    }
    try {
      BatchNotification notification = BatchNotification.fromJson(record.value());
      return batchId.equals(notification.id()) ? notification : null;
    } catch (IOException | RuntimeException e) {
      return null; // not a notification of the HRI schema: nothing to do with this batch
    }
  }

  /** Writes the batch's records; returns how many. */
  private long writeRecords(String batchId, Long expected, Path outputFile, long deadline)
      throws IOException, InterruptedException {
    Path target = outputFile.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    byte[] id = batchId.getBytes(StandardCharsets.UTF_8);
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 65_536)) {
      if (expected == null || expected > 0) {
        written = copyRecords(id, expected, out, deadline);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return written;
  }

  private long copyRecords(byte[] batchId, Long expected, OutputStream out, long deadline)
      throws IOException, InterruptedException {
    long written = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = newConsumer("records")) {
      List<TopicPartition> partitions = awaitPartitions(consumer, topics.output(), deadline);
      if (partitions == null) {
        return 0;
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long graceEnd = 0;
      while (expected == null || written < expected) {
        if (reached(consumer, end)) {
          Map<TopicPartition, Long> now = consumer.endOffsets(partitions);
          if (!now.equals(end)) {
            end = now;
            graceEnd = 0;
          } else if (expected == null) {
            break;
          } else if (graceEnd == 0) {
            graceEnd = System.nanoTime() + END_GRACE.toNanos();
          } else if (System.nanoTime() >= graceEnd) {
            break;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        Iterator<ConsumerRecord<byte[], byte[]>> records = consumer.poll(pollTime(left)).iterator();
        while (records.hasNext() && (expected == null || written < expected)) {
          ConsumerRecord<byte[], byte[]> record = records.next();
          if (Arrays.equals(firstBatchId(record), batchId)) {
            out.write(oneLine(record.value()));
            out.write('\n');
            written++;
          }
        }
      }
    }
    return written;
  }

  private static byte[] firstBatchId(ConsumerRecord<byte[], byte[]> record) {
    Iterator<Header> headers = record.headers().headers("batchId").iterator();
    return headers.hasNext() ? headers.next().value() : null;
  }

  /** The value as one line: unchanged unless it holds a line break, then as compact JSON (if it is JSON). */
  private static byte[] oneLine(byte[] value) {
    if (value == null) {
      return "null".getBytes(StandardCharsets.UTF_8);
    }
    boolean lineBreak = false;
    for (byte b : value) {
      if (b == '\n' || b == '\r') {
        lineBreak = true;
        break;
      }
    }
    if (!lineBreak) {
      return value;
    }
    try {
      JsonNode node = EXACT_JSON.readTree(value);
      return node == null || node.isMissingNode() ? value : Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      return value; // not JSON: nothing can keep it on one line without changing it
    }
  }

  private KafkaConsumer<byte[], byte[]> newConsumer(String purpose) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hri-consumer-" + CLIENT_IDS.incrementAndGet() + "-" + purpose);
    c.putAll(clientConfig);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions are assigned, never committed
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(c);
  }

  /** Assigns every partition of the topic from the beginning, once it exists; null if the deadline passed first. */
  private static List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
      long deadline) throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(5))));
      } catch (TimeoutException e) {
        infos = null;
      }
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
      }
      Thread.sleep(Math.min(NO_TOPIC_RETRY.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
    }
  }

  /** Whether the consumer's position reached {@code end} on every partition. */
  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Duration pollTime(long leftNanos) {
    return Duration.ofNanos(Math.max(1, Math.min(leftNanos, MAX_POLL.toNanos())));
  }

  private static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }
}

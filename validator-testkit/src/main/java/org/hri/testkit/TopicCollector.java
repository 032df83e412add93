package org.hri.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaTestClient;

/**
 * Reads a run's {@code *.out}, {@code *.invalid} and {@code *.notification} topics from the beginning with one
 * consumer and keeps what it read, so each wait only polls for what is new. No consumer group: nothing is
 * committed and the job's own consumers are not disturbed.
 */
final class TopicCollector implements AutoCloseable {
  private static final Duration MAX_POLL = Duration.ofMillis(100);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  private final TopicNames topics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<HriRecord> valid = new ArrayList<>(); // guarded by this
  private final List<InvalidRecord> invalid = new ArrayList<>(); // guarded by this
  private final List<BatchNotification> verdicts = new ArrayList<>(); // guarded by this

  TopicCollector(String bootstrapServers, TopicNames topics) {
    this.topics = topics;
    // Exactly-once runs write in transactions; only committed records count.
    this.consumer = new KafkaConsumer<>(
        KafkaTestClient.readCommittedConsumerConfig(bootstrapServers, "hri-validator-testkit-" + topics.base()));
    // The topics were made with KafkaBroker.createTopics, which returns once every partition is served.
    List<TopicPartition> read = partitions(topics.output(), topics.invalid(), topics.notification());
    consumer.assign(read);
    consumer.seekToBeginning(read);
  }

  private List<TopicPartition> partitions(String... names) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : names) {
      for (PartitionInfo info : consumer.partitionsFor(topic, CLIENT_TIMEOUT)) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
    }
    return partitions;
  }

  /**
   * Polls until {@code condition} holds (tested first, then after every poll that brought records) or the
   * deadline passes; then throws an AssertionError with {@code timeoutMessage}. {@code stopped} is asked after
   * each empty poll: a non-null answer (the job died) ends the wait at once with that message.
   */
  synchronized void awaitUntil(
      BooleanSupplier condition,
      long deadlineNanos,
      Supplier<String> timeoutMessage,
      Supplier<AssertionError> stopped) {
    while (!condition.getAsBoolean()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(timeoutMessage.get());
      }
      if (poll(Duration.ofNanos(Math.min(left, MAX_POLL.toNanos()))) == 0) {
        AssertionError error = stopped.get();
        if (error != null) {
          throw error;
        }
      }
    }
  }

  /** Reads every topic up to its end offset as of now, so whatever the job has written so far is kept. */
  synchronized void readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), CLIENT_TIMEOUT);
    long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
    while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), CLIENT_TIMEOUT) >= e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Could not read the run's topics to their end within " + CLIENT_TIMEOUT);
      }
      poll(MAX_POLL);
    }
  }

  /** Records on {@code *.out} whose (first) {@code batchId} header is {@code batchId}, in arrival order. */
  synchronized List<HriRecord> valid(String batchId) {
    return valid.stream().filter(r -> batchId.equals(r.batchId())).toList();
  }

  /** Notices on {@code *.invalid} about the record at this position of {@code *.in}, if any arrived. */
  synchronized Optional<InvalidRecord> invalidAt(int partition, long offset) {
    return invalid.stream()
        .filter(n -> n.topic().equals(topics.input()) && n.partition() == partition && n.offset() == offset)
        .findFirst();
  }

  synchronized List<InvalidRecord> invalid() {
    return List.copyOf(invalid);
  }

  /** The job's first verdict (COMPLETED or FAILED) on the batch, if one arrived. */
  synchronized Optional<BatchNotification> verdict(String batchId) {
    return verdicts.stream().filter(n -> n.id().equals(batchId)).findFirst();
  }

  private int poll(Duration timeout) {
    int count = 0;
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      count++;
      if (record.topic().equals(topics.output())) {
        valid.add(toHriRecord(record));
      } else if (record.topic().equals(topics.invalid())) {
        invalid.add(parseInvalid(record));
      } else {
        verdictOf(record).ifPresent(verdicts::add);
      }
    }
    return count;
  }

  private static HriRecord toHriRecord(ConsumerRecord<byte[], byte[]> record) {
    List<HriHeader> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(new HriHeader(header.key(), header.value()));
    }
    return new HriRecord(headers, record.key(), record.value(), record.topic(), record.partition(), record.offset());
  }

  private static InvalidRecord parseInvalid(ConsumerRecord<byte[], byte[]> record) {
    try {
      return InvalidRecord.fromJson(record.value());
    } catch (IOException e) {
      // The job wrote something that is not a notice: a bug worth failing loudly for (notices hold no payload).
      throw new AssertionError("Not an invalid-record notice at " + record.topic() + "-" + record.partition() + "@"
          + record.offset(), e);
    }
  }

  /** The notification topic also carries the kit's own started/sendCompleted notifications: keep verdicts only. */
  private static Optional<BatchNotification> verdictOf(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      BatchNotification notification = BatchNotification.fromJson(record.value());
      return notification.status() == BatchStatus.COMPLETED || notification.status() == BatchStatus.FAILED
          ? Optional.of(notification)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}

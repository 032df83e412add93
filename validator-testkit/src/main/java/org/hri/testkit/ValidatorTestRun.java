package org.hri.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaTestClient;

/**
 * A running job started by {@link ValidatorTestKit#start()}: send it batches with {@link #batch(String)} and
 * read what it made of them. Close it to stop the job (the broker keeps running for the next run).
 *
 * <p>Every wait has the kit's deadline and fails with an AssertionError that gives counts and positions, never
 * a record's content. A wait also fails at once if the job stops (e.g. the validator's {@code setup()} threw).
 */
public final class ValidatorTestRun implements AutoCloseable {
  private final TopicNames topics;
  private final PipelineResult result;
  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicCollector collector;
  private final Duration deadline;
  private final Set<String> batchIds = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ValidatorTestRun(
      TopicNames topics, PipelineResult result, KafkaProducer<byte[], byte[]> producer, TopicCollector collector,
      Duration deadline) {
    this.topics = topics;
    this.result = result;
    this.producer = producer;
    this.collector = collector;
    this.deadline = deadline;
  }

  /** Opens the run's Kafka clients, then runs the job; nothing is left running if either fails. */
  static ValidatorTestRun start(KafkaBroker broker, TopicNames topics, Pipeline pipeline, Duration deadline) {
    KafkaProducer<byte[], byte[]> producer = newProducer(broker.bootstrapServers());
    TopicCollector collector = null;
    try {
      collector = new TopicCollector(broker.bootstrapServers(), topics);
      return new ValidatorTestRun(topics, pipeline.run(), producer, collector, deadline);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      if (collector != null) {
        collector.close();
      }
      throw e;
    }
  }

  /** The run's topics: {@code input()} is {@code ingest.testkit.<run>.in}, and its {@code .out}, ... */
  public TopicNames topics() {
    return topics;
  }

  /**
   * A new batch with this id (unique within the run). Nothing is sent yet: its {@code started} notification
   * goes out with its first record, or with {@code sendCompleted()} / {@code awaitVerdict()} if it has none.
   */
  public Batch batch(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    if (batchId.isEmpty() || !batchIds.add(batchId)) {
      throw new IllegalArgumentException("batch: the id must be non-empty and new in this run");
    }
    return new Batch(batchId);
  }

  /** Sends a record with no {@code batchId} header and returns the job's notice for it from {@code *.invalid}. */
  public InvalidRecord sendWithoutBatchId(String value) {
    return sendWithoutBatchId(null, utf8(value));
  }

  /**
   * Sends a record with these headers (there must be no {@code batchId} among them) and returns the job's
   * invalid-record notice for it.
   */
  public InvalidRecord sendWithoutBatchId(byte[] key, byte[] value, HriHeader... headers) {
    for (HriHeader header : headers) {
      if (HriRecord.BATCH_ID_HEADER.equals(header.key())) {
        throw new IllegalArgumentException("sendWithoutBatchId: a batchId header was given; use batch(...)");
      }
    }
    RecordMetadata sent = acknowledged(send(topics.input(), key, value, kafkaHeaders(null, headers)), "the record");
    long end = System.nanoTime() + deadline.toNanos();
    collector.awaitUntil(
        () -> collector.invalidAt(sent.partition(), sent.offset()).isPresent(), end,
        () -> "No invalid-record notice within " + deadline + " for the record without batchId at " + position(sent),
        this::stoppedError);
    return collector.invalidAt(sent.partition(), sent.offset()).orElseThrow();
  }

  /** The job's Beam state, e.g. {@code RUNNING}. */
  public PipelineResult.State jobState() {
    return result.getState();
  }

  /** Cancels the job and closes the run's Kafka clients. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      result.cancel();
    } catch (IOException | UnsupportedOperationException | IllegalStateException e) {
      // the job had already stopped
    } finally {
      producer.close(Duration.ofSeconds(5));
      collector.close();
    }
  }

  private static KafkaProducer<byte[], byte[]> newProducer(String bootstrapServers) {
    Map<String, Object> config =
        KafkaTestClient.idempotentProducerConfig(bootstrapServers, Duration.ofSeconds(30));
    // Records are sent without waiting for each acknowledgement; a short linger batches them.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config);
  }

  private Future<RecordMetadata> send(String topic, byte[] key, byte[] value, List<Header> headers) {
    return producer.send(new ProducerRecord<>(topic, null, key, value, headers));
  }

  /** Waits for the broker's acknowledgement; the error names the record by what it is, never by content. */
  private static RecordMetadata acknowledged(Future<RecordMetadata> future, String what) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not send " + what + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted sending " + what, e);
    }
  }

  /** Null while the job runs; else an error carrying the job's failure, e.g. the validator's setup() exception. */
  private AssertionError stoppedError() {
    PipelineResult.State state;
    try {
      // Not getState(): once that has seen FAILED, the DirectRunner no longer rethrows the failure's cause.
      state = result.waitUntilFinish(org.joda.time.Duration.millis(1));
    } catch (RuntimeException e) {
      return new AssertionError("The job failed", e);
    }
    return state != null && state.isTerminal() ? new AssertionError("The job stopped (" + state + ")") : null;
  }

  private static List<Header> kafkaHeaders(String batchId, HriHeader... headers) {
    List<Header> all = new ArrayList<>();
    if (batchId != null) {
      all.add(new RecordHeader(HriRecord.BATCH_ID_HEADER, batchId.getBytes(StandardCharsets.UTF_8)));
    }
    for (HriHeader header : headers) {
      all.add(new RecordHeader(header.key(), header.value()));
    }
    return all;
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String position(RecordMetadata sent) {
    return sent.topic() + "-" + sent.partition() + "@" + sent.offset();
  }

  /**
   * One batch, sent the way a Data Integrator sends it: a {@code started} notification, the records (each
   * with the {@code batchId} header), a {@code sendCompleted} notification with the count. Not thread-safe.
   */
  public final class Batch {
    private final String id;
    private long invalidThreshold = BatchNotification.NO_THRESHOLD;
    private BatchNotification started;
    private boolean sendCompleted;
    // Sends not yet acknowledged, by index; acknowledged ones move to indexByPosition.
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();
    // "partition@offset" on *.in -> the record's index in this batch, to place the job's notices.
    private final Map<String, Integer> indexByPosition = new HashMap<>();
    private int recordsSent;

    private Batch(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** How many records were sent so far. */
    public int recordsSent() {
      return recordsSent;
    }

    /**
     * The number of invalid records that fails the batch (the job fails it once this many were counted);
     * default -1, none. Set it before the first record.
     */
    public Batch invalidThreshold(long threshold) {
      if (started != null) {
        throw new IllegalStateException("invalidThreshold: the batch has already started");
      }
      if (threshold < BatchNotification.NO_THRESHOLD) {
        throw new IllegalArgumentException("invalidThreshold: must be -1 (none) or more");
      }
      this.invalidThreshold = threshold;
      return this;
    }

    /** Sends a record with this UTF-8 value, no key and only the {@code batchId} header. */
    public Batch record(String value) {
      return record(null, utf8(value));
    }

    /** Sends a record with UTF-8 key and value (either may be null) and extra headers after {@code batchId}. */
    public Batch record(String key, String value, HriHeader... headers) {
      return record(utf8(key), utf8(value), headers);
    }

    /** Sends a record with these key and value bytes (either may be null) and extra headers after {@code batchId}. */
    public Batch record(byte[] key, byte[] value, HriHeader... headers) {
      if (sendCompleted) {
        throw new IllegalStateException("record: sendCompleted was already sent for batch " + id);
      }
      start();
      unacknowledged.add(send(topics.input(), key, value, kafkaHeaders(id, headers)));
      recordsSent++;
      return this;
    }

    /** Sends one record per value (e.g. the lines of an NDJSON file), in order. */
    public Batch records(Iterable<String> values) {
      values.forEach(this::record);
      return this;
    }

    /** Sends the {@code sendCompleted} notification with {@code expectedRecordCount} = the records sent. */
    public Batch sendCompleted() {
      return sendCompleted(recordsSent());
    }

    /** Sends {@code sendCompleted} with another count, e.g. to see a batch fail for too many records. */
    public Batch sendCompleted(long expectedRecordCount) {
      if (sendCompleted) {
        throw new IllegalStateException("sendCompleted: already sent for batch " + id);
      }
      start();
      flush();
      sendCompleted = true;
      notify(
          new BatchNotification(
              id, started.name(), started.integratorId(), started.topic(), started.dataType(),
              BatchStatus.SEND_COMPLETED, started.startDate(), null, expectedRecordCount, expectedRecordCount, null,
              invalidThreshold, null, null, null));
      return this;
    }

    /**
     * Waits for the job's verdict on the batch ({@code completed} or {@code failed}) and for the records it
     * counted to reach {@code *.out} and {@code *.invalid}, and returns them. For a completed batch that is
     * every record sent; a failed one may have fewer, as the job drops records of a batch once it has failed.
     * Without {@code sendCompleted()} only a failure (the invalid threshold) gives a verdict.
     */
    public Outcome awaitVerdict() {
      start();
      flush();
      long end = System.nanoTime() + deadline.toNanos();
      collector.awaitUntil(
          () -> collector.verdict(id).isPresent(), end,
          () -> "No verdict for batch " + id + " within " + deadline + "; " + progress(),
          ValidatorTestRun.this::stoppedError);
      BatchNotification verdict = collector.verdict(id).orElseThrow();
      long counted = verdict.actualRecordCount() == null ? 0 : verdict.actualRecordCount();
      // Routing and counting are separate branches of the job: the counted records may land a moment later.
      collector.awaitUntil(
          () -> routed() >= counted, end,
          () -> "Batch " + id + " is " + verdict.status() + " with " + counted + " records counted, but within "
              + deadline + " only " + progress(),
          ValidatorTestRun.this::stoppedError);
      collector.readToEnd();
      return new Outcome(id, verdict, collector.valid(id), invalidNotices(), recordsSent());
    }

    private int routed() {
      return collector.valid(id).size() + invalidNotices().size();
    }

    private List<IndexedNotice> invalidNotices() {
      List<IndexedNotice> notices = new ArrayList<>();
      for (InvalidRecord notice : collector.invalid()) {
        Integer index =
            notice.topic().equals(topics.input())
                ? indexByPosition.get(notice.partition() + "@" + notice.offset())
                : null;
        if (index != null) {
          notices.add(new IndexedNotice(index, notice));
        }
      }
      notices.sort(Comparator.comparingInt(IndexedNotice::index));
      return notices;
    }

    private String progress() {
      return collector.valid(id).size() + " on *.out and " + invalidNotices().size() + " on *.invalid of the "
          + recordsSent() + " records sent (job " + result.getState() + ")";
    }

    private void start() {
      if (started == null) {
        // Whole seconds in UTC, as the Management API writes dates.
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        started =
            new BatchNotification(
                id, "testkit " + id, "validator-testkit", topics.input(), "testkit", BatchStatus.STARTED, now, null,
                null, null, null, invalidThreshold, null, null, null);
        notify(started);
      }
    }

    /** Waits until the broker has every record sent so far, as a Data Integrator does before sendComplete. */
    private void flush() {
      producer.flush();
      int first = recordsSent - unacknowledged.size();
      for (int i = 0; i < unacknowledged.size(); i++) {
        RecordMetadata sent = acknowledged(unacknowledged.get(i), "record " + (first + i) + " of batch " + id);
        indexByPosition.put(sent.partition() + "@" + sent.offset(), first + i);
      }
      unacknowledged.clear();
    }

    private void notify(BatchNotification notification) {
      acknowledged(
          send(topics.notification(), id.getBytes(StandardCharsets.UTF_8), notification.toJson(), List.of()),
          "the " + notification.status() + " notification of batch " + id);
    }
  }

  private record IndexedNotice(int index, InvalidRecord notice) {}

  /** What the job made of one batch: its verdict, the records on {@code *.out} and the notices on {@code *.invalid}. */
  public static final class Outcome {
    private final String batchId;
    private final BatchNotification verdict;
    private final List<HriRecord> valid;
    private final List<IndexedNotice> invalid;
    private final int recordsSent;

    private Outcome(String batchId, BatchNotification verdict, List<HriRecord> valid, List<IndexedNotice> invalid,
        int recordsSent) {
      this.batchId = batchId;
      this.verdict = verdict;
      this.valid = List.copyOf(valid);
      this.invalid = List.copyOf(invalid);
      this.recordsSent = recordsSent;
    }

    public String batchId() {
      return batchId;
    }

    /** {@code COMPLETED} or {@code FAILED}. */
    public BatchStatus status() {
      return verdict.status();
    }

    /** The job's verdict notification, with {@code actualRecordCount}, {@code invalidRecordCount}, ... */
    public BatchNotification verdict() {
      return verdict;
    }

    /** The verdict's failure message, null for a completed batch. */
    public String failureMessage() {
      return verdict.failureMessage();
    }

    public int recordsSent() {
      return recordsSent;
    }

    /**
     * The batch's records on {@code *.out} — key, value and headers as the job wrote them; topic, partition and
     * offset are those on {@code *.out}. In no particular order (the job validates in parallel).
     */
    public List<HriRecord> validRecords() {
      return valid;
    }

    /** The values of {@link #validRecords()} as UTF-8 text. */
    public List<String> validValues() {
      return valid.stream().map(HriRecord::valueAsString).toList();
    }

    /** The batch's notices on {@code *.invalid}, in the order the records were sent. */
    public List<InvalidRecord> invalidRecords() {
      return invalid.stream().map(IndexedNotice::notice).toList();
    }

    /** The failure texts of {@link #invalidRecords()}, in the order the records were sent. */
    public List<String> failures() {
      return invalid.stream().map(n -> n.notice().failure()).toList();
    }

    /** Each invalid record's index in the batch (0 = the first record sent) and its failure text. */
    public SortedMap<Integer, String> failuresByRecord() {
      SortedMap<Integer, String> failures = new TreeMap<>();
      invalid.forEach(n -> failures.put(n.index(), n.notice().failure()));
      return Collections.unmodifiableSortedMap(failures);
    }

    /** Counts and status only: records may carry health data. */
    @Override
    public String toString() {
      return "Outcome[" + batchId + " " + verdict.status() + ", sent " + recordsSent + ", valid " + valid.size()
          + ", invalid " + invalid.size() + "]";
    }
  }
}

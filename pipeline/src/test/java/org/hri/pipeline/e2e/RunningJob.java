package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.HriPipelineOptions;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaTestClient;

/**
 * The whole job on the DirectRunner against the in-process broker, on a stream of its own, with helpers to
 * feed it batches and read what reached each topic, per batch.
 */
public final class RunningJob implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  private static int streams;

  final TopicNames topics;
  final KafkaTestClient kafka;
  private final PipelineResult result;

  private RunningJob(TopicNames topics, KafkaTestClient kafka, PipelineResult result) {
    this.topics = topics;
    this.kafka = kafka;
    this.result = result;
  }

  /** The DirectRunner, not blocking in {@code run()}. */
  static final List<String> DIRECT_RUNNER = List.of("--runner=DirectRunner", "--blockOnRun=false");

  /** Creates the stream's four topics and starts the job on the DirectRunner with {@code args} added. */
  static RunningJob start(KafkaBroker broker, ValidateRecords validation, String... args) {
    return start(broker, validation, DIRECT_RUNNER, args);
  }

  /**
   * Creates the stream's four topics and starts the job with the runner's and the test's arguments; the job
   * reaches the broker's PLAINTEXT listener unless the test's arguments name {@code --brokers} and
   * {@code --kafkaProperties} (which then must carry {@code auto.offset.reset=earliest}) themselves.
   */
  static RunningJob start(KafkaBroker broker, ValidateRecords validation, List<String> runnerArgs, String... args) {
    TopicNames topics = TopicNames.forInput("ingest.tenant1.e2e" + nextStream() + ".in");
    broker.createTopics(Map.of(topics.input(), 2, topics.notification(), 1, topics.output(), 2, topics.invalid(), 1));
    List<String> all = new ArrayList<>(List.of("--input=" + topics.input()));
    if (List.of(args).stream().noneMatch(arg -> arg.startsWith("--brokers="))) {
      all.addAll(List.of(
          "--brokers=" + broker.bootstrapServers(), "--kafkaProperties=auto.offset.reset=earliest"));
    }
    all.addAll(runnerArgs);
    all.addAll(List.of(args));
    HriPipelineOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).as(HriPipelineOptions.class);
    PipelineResult result = HriPipeline.create(options, validation).run();
    return new RunningJob(topics, new KafkaTestClient(broker), result);
  }

  private static synchronized int nextStream() {
    return ++streams;
  }

  void notify(BatchNotification notification) {
    kafka.send(topics.notification(), notification.id().getBytes(StandardCharsets.UTF_8), notification.toJson());
  }

  void send(String batchId, String key, String value, Header... extraHeaders) {
    List<Header> headers = new ArrayList<>();
    headers.add(KafkaTestClient.header("batchId", batchId));
    headers.addAll(List.of(extraHeaders));
    kafka.send(topics.input(), key, value, headers);
  }

  /** Waits until {@code count} records of the batch reached {@code topic}, then checks no more arrive. */
  List<ConsumerRecord<byte[], byte[]>> awaitExactly(String topic, String batchId, int count) {
    return awaitBetween(topic, batchId, count, count);
  }

  /**
   * Waits until at least {@code min} records of the batch reached {@code topic}, then checks that no more than
   * {@code max} arrive.
   */
  List<ConsumerRecord<byte[], byte[]>> awaitBetween(String topic, String batchId, long min, long max) {
    kafka.readUntil(topic, records -> ofBatch(records, batchId).size() >= min, DEADLINE);
    List<ConsumerRecord<byte[], byte[]>> records = ofBatch(kafka.readAll(topic, Duration.ofSeconds(2)), batchId);
    assertThat("records of batch " + batchId + " on " + topic, (long) records.size(),
        both(greaterThanOrEqualTo(min)).and(lessThanOrEqualTo(max)));
    return records;
  }

  List<InvalidRecord> awaitInvalid(String batchId, int count) {
    List<InvalidRecord> invalid = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : awaitExactly(topics.invalid(), batchId, count)) {
      try {
        invalid.add(InvalidRecord.fromJson(record.value()));
      } catch (java.io.IOException e) {
        throw new AssertionError("not an invalid-record notice", e);
      }
    }
    return invalid;
  }

  /** The notifications of a batch on the notification topic, once one satisfies {@code done}. */
  List<BatchNotification> awaitNotifications(String batchId, Predicate<BatchNotification> done) {
    Predicate<List<ConsumerRecord<byte[], byte[]>>> seen =
        records -> notificationsOf(records, batchId).stream().anyMatch(done);
    return notificationsOf(kafka.readUntil(topics.notification(), seen, DEADLINE), batchId);
  }

  /** The batch's verdict written by the job (standalone mode), after checking it is the only one. */
  BatchNotification awaitVerdict(String batchId) {
    awaitNotifications(batchId, n -> n.status() == BatchStatus.COMPLETED || n.status() == BatchStatus.FAILED);
    List<BatchNotification> verdicts =
        notificationsOf(kafka.readAll(topics.notification(), Duration.ofSeconds(2)), batchId).stream()
            .filter(n -> n.status() == BatchStatus.COMPLETED || n.status() == BatchStatus.FAILED)
            .toList();
    assertThat("verdicts of batch " + batchId, verdicts, hasSize(1));
    return verdicts.get(0);
  }

  static List<ConsumerRecord<byte[], byte[]>> ofBatch(List<ConsumerRecord<byte[], byte[]>> records, String batchId) {
    return records.stream().filter(r -> batchId.equals(KafkaTestClient.lastHeader(r, "batchId"))).toList();
  }

  private static List<BatchNotification> notificationsOf(List<ConsumerRecord<byte[], byte[]>> records, String batchId) {
    return records.stream()
        .filter(r -> r.key() != null && batchId.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .map(r -> parse(r.value()))
        .filter(Objects::nonNull)
        .toList();
  }

  private static BatchNotification parse(byte[] json) {
    try {
      return json == null ? null : BatchNotification.fromJson(json);
    } catch (java.io.IOException e) {
      return null; // the malformed notifications some tests send on purpose
    }
  }

  PipelineResult result() {
    return result;
  }

  @Override
  public void close() {
    try {
      result.cancel();
    } catch (java.io.IOException | UnsupportedOperationException e) {
      // already finished
    }
    kafka.close();
  }
}

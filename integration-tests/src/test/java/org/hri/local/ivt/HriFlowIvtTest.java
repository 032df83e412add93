package org.hri.local.ivt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hri.testing.KafkaTestClient.header;
import static org.hri.testing.KafkaTestClient.headerStrings;
import static org.hri.testing.KafkaTestClient.utf8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.hri.local.consumer.BatchConsumer;
import org.hri.local.consumer.ConsumerResult;
import org.hri.local.integrator.BatchApiClient;
import org.hri.local.integrator.IngestResult;
import org.hri.local.integrator.Integrator;
import org.hri.local.integrator.IntegratorConfig;
import org.hri.local.mgmt.LocalManagementApi;
import org.hri.local.mgmt.OAuthClient;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.HriPipelineOptions;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.hri.validators.JsonValidation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The IVT scenarios of spec §6.9, end to end on one machine and with nothing faked: the in-process Kafka broker,
 * the local Management API with authorization on (so the job's OAuth path, lookups and verdict calls are real),
 * and the validation job on the DirectRunner with the JSON validator, started once for the whole class. Batches
 * are created, completed and terminated through the integrator's API client with an integrator's token; records
 * are written to {@code *.in} by a real producer (or by the integrator tool's core). Every scenario has batches
 * of its own, so the scenarios run concurrently against the one job (a run is bounded by its slowest scenario,
 * not by the sum of the completion delays). The class itself runs alone, not beside other test classes, whose
 * short timeouts the job's load could upset.
 *
 * <p>Record order on {@code *.out} is not asserted: Beam does not keep element order between bundles.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HriFlowIvtTest {
  /** The completion delay of the spec's IVT setup. */
  private static final long DELAY_MS = 5_000;
  private static final Duration DEADLINE = Duration.ofSeconds(75);
  /** How long "no more" is checked after the last expected record or notification. */
  private static final Duration QUIET = Duration.ofSeconds(2);
  private static final String AUDIENCE = "hri-ivt";
  private static final String INTEGRATOR = "ivt-integrator";
  private static final String INTEGRATOR_SECRET = "integrator-" + UUID.randomUUID();
  private static final String PIPELINE = "ivt-pipeline";
  private static final String PIPELINE_SECRET = "pipeline-" + UUID.randomUUID();

  private KafkaBroker broker;
  private KafkaTestClient kafka;
  private TopicNames topics;
  private LocalManagementApi api;
  private PipelineResult job;
  private BatchApiClient integratorApi;

  @BeforeAll
  void startStack(KafkaBroker broker) throws IOException {
    this.broker = broker;
    String tenant = KafkaBroker.uniqueTopicName("ivt");
    topics = TopicNames.forInput("ingest." + tenant + ".di1.in");
    broker.createTopics(Map.of(topics.input(), 2, topics.output(), 2, topics.notification(), 1, topics.invalid(), 1));
    kafka = new KafkaTestClient(broker);

    api = LocalManagementApi.start(LocalManagementApi.Config.builder()
        .bootstrapServers(broker.bootstrapServers())
        .validation(true)
        .auth(true)
        .audience(AUDIENCE)
        .client(OAuthClient.of(INTEGRATOR, INTEGRATOR_SECRET, "tenant_" + tenant, "hri_data_integrator"))
        .client(OAuthClient.of(PIPELINE, PIPELINE_SECRET, "tenant_" + tenant, "hri_internal", "hri_consumer"))
        .build());
    integratorApi = new BatchApiClient(api.baseUrl(), tenant,
        new BatchApiClient.OAuth(api.oauthUrl(), INTEGRATOR, INTEGRATOR_SECRET, AUDIENCE), Duration.ofSeconds(30));

    String[] args = {
      "--runner=DirectRunner", "--blockOnRun=false",
      "--brokers=" + broker.bootstrapServers(),
      "--input=" + topics.input(),
      "--kafkaProperties=auto.offset.reset=earliest",
      "--batchCompletionDelay=" + DELAY_MS,
      "--mgmtUrl=" + api.baseUrl(),
      "--oauthUrl=" + api.oauthUrl(),
      "--clientId=" + PIPELINE,
      "--clientSecret=" + PIPELINE_SECRET,
      "--audience=" + AUDIENCE,
      "--mgmtInitialBackoff=200",
      "--mgmtMaxBackoff=2000"
    };
    HriPipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(HriPipelineOptions.class);
    job = HriPipeline.create(options, new JsonValidation()).run();
  }

  @AfterAll
  void stopStack() throws IOException {
    try {
      if (job != null) {
        job.cancel();
      }
    } finally {
      if (api != null) {
        api.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Scenarios

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void validBatchWithUtf8HeadersNameAndMetadataCompletesUnchanged(@TempDir Path dir) throws Exception {
    String name = "IVT Prüfung 東京 ✓ happy";
    ObjectNode metadata =
        Json.mapper().createObjectNode().put("Quelle", "Ärztehaus Zürich").put("備考", "テスト ✓");
    String id = integratorApi.createBatch(name, topics.input(), "fhir-bündel", -1, metadata);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      String value = "{\"n\":" + i + ",\"text\":\"Grüße ✓ 値" + i + "\"}";
      values.add(value);
      send(id, "schlüssel-" + i, value, header("testUtf8あいうえおか", "値" + i),
          header("passThru", "justPassinThru"));
    }
    long sendCompleteCalled = System.nanoTime();
    integratorApi.sendComplete(id, 15, null);

    awaitNotification(id, BatchStatus.COMPLETED);
    long millisToVerdict = Duration.ofNanos(System.nanoTime() - sendCompleteCalled).toMillis();
    assertThat("completed at least the delay after sendComplete", millisToVerdict, greaterThanOrEqualTo(DELAY_MS));

    List<ConsumerRecord<byte[], byte[]>> out = awaitExactly(topics.output(), id, 15);
    assertThat(out.stream().map(r -> utf8(r.key()) + "=" + utf8(r.value())).toList(),
        containsInAnyOrder(IntStream.range(0, 15).mapToObj(i -> "schlüssel-" + i + "=" + values.get(i)).toArray()));
    for (ConsumerRecord<byte[], byte[]> record : out) {
      int i = Integer.parseInt(utf8(record.key()).substring("schlüssel-".length()));
      assertThat(headerStrings(record),
          contains("batchId=" + id, "testUtf8あいうえおか=値" + i, "passThru=justPassinThru"));
    }
    assertThat(awaitExactly(topics.invalid(), id, 0), empty());

    List<BatchNotification> notifications = allNotifications(id);
    assertThat(statuses(notifications),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED));
    BatchNotification completed = notifications.get(2);
    assertThat(completed.expectedRecordCount(), is(15L));
    assertThat(completed.recordCount(), is(15L));
    assertThat(completed.actualRecordCount(), is(15L));
    assertThat(completed.invalidRecordCount(), is(0L));
    assertThat(completed.failureMessage(), nullValue());
    assertThat(completed.name(), is(name));
    assertThat(completed.dataType(), is("fhir-bündel"));
    assertThat(completed.metadata(), is(metadata));
    assertThat(completed.integratorId(), is(INTEGRATOR));
    assertThat(integratorApi.getBatch(id).status(), is(BatchStatus.COMPLETED));

    // The Data Consumer reads the batch back: the very values that were sent.
    Path file = dir.resolve("happy.ndjson");
    ConsumerResult read = consumer().awaitBatch(id, file, DEADLINE);
    assertThat(read.outcome(), is(ConsumerResult.Outcome.COMPLETED));
    assertThat(read.recordsWritten(), is(15L));
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8), containsInAnyOrder(values.toArray()));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void twoInterleavedBatchesBothComplete() throws Exception {
    String a = integratorApi.createBatch("interleaved-a", topics.input(), "fhir", -1, null);
    String b = integratorApi.createBatch("interleaved-b", topics.input(), "fhir", -1, null);
    for (int i = 0; i < 15; i++) {
      send(a, "a" + i, "{\"a\":" + i + "}");
      send(b, "b" + i, "{\"b\":" + i + "}");
    }
    integratorApi.sendComplete(a, 15, null);
    integratorApi.sendComplete(b, 15, null);

    for (String id : List.of(a, b)) {
      String prefix = id.equals(a) ? "a" : "b";
      awaitNotification(id, BatchStatus.COMPLETED);
      List<ConsumerRecord<byte[], byte[]>> out = awaitExactly(topics.output(), id, 15);
      assertThat(out.stream().map(r -> utf8(r.key())).toList(),
          containsInAnyOrder(IntStream.range(0, 15).mapToObj(i -> prefix + i).toArray()));
      List<BatchNotification> notifications = allNotifications(id);
      assertThat(statuses(notifications),
          contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED));
      assertThat(notifications.get(2).actualRecordCount(), is(15L));
      assertThat(notifications.get(2).invalidRecordCount(), is(0L));
    }
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void batchTerminatedMidwayKeepsItsRecordsAndGetsNoVerdict() throws Exception {
    String id = integratorApi.createBatch("terminated", topics.input(), "fhir", -1, null);
    for (int i = 0; i < 10; i++) {
      send(id, "k" + i, "{}");
    }
    awaitExactly(topics.output(), id, 10);
    integratorApi.terminate(id, null);

    awaitNotification(id, BatchStatus.TERMINATED);
    // No verdict follows: checked for longer than the completion delay.
    List<BatchNotification> notifications = allNotifications(id, Duration.ofMillis(DELAY_MS + 1_000));
    assertThat(statuses(notifications), contains(BatchStatus.STARTED, BatchStatus.TERMINATED));
    assertThat(integratorApi.getBatch(id).status(), is(BatchStatus.TERMINATED));
    assertThat(awaitExactly(topics.invalid(), id, 0), empty());
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void reachingTheInvalidThresholdFailsTheBatch() throws Exception {
    String id = integratorApi.createBatch("threshold", topics.input(), "fhir", 5, null);
    // Five invalid records reach the threshold; the verdict therefore counts exactly five.
    for (int i = 0; i < 5; i++) {
      send(id, "k" + i, "Not-validJSON");
    }
    BatchNotification failed = awaitNotification(id, BatchStatus.FAILED);
    assertThat(failed.invalidRecordCount(), is(5L));
    assertThat(failed.actualRecordCount(), is(5L));
    assertThat(failed.invalidThreshold(), is(5L));
    assertThat(failed.failureMessage(), is("Failing Batch: " + id
        + ", too many invalid records invalidCount: 5 >= invalidThreshold: 5"));

    // The other ten of the fifteen: dropped once the job knows the batch failed (before that, invalid), and
    // nothing changes the verdict.
    for (int i = 5; i < 15; i++) {
      send(id, "k" + i, "Not-validJSON");
    }
    List<BatchNotification> notifications = allNotifications(id, Duration.ofMillis(DELAY_MS));
    assertThat(statuses(notifications), contains(BatchStatus.STARTED, BatchStatus.FAILED));
    assertThat(integratorApi.getBatch(id).status(), is(BatchStatus.FAILED));
    List<InvalidRecord> invalid = invalidOf(kafka.readAll(topics.invalid(), QUIET), id);
    assertThat(invalid.size(), both(greaterThanOrEqualTo(5)).and(lessThanOrEqualTo(15)));
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(), everyItem(startsWith("Invalid JSON: ")));
    assertThat(ofBatch(kafka.readAll(topics.output(), Duration.ZERO), id), empty());
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void mixedFileCompletesWithItsInvalidCount(@TempDir Path folder) throws Exception {
    Path in = Files.createDirectories(folder.resolve("in"));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      lines.append(i % 2 == 0 ? "{\"resourceType\":\"Bundle\",\"n\":" + i + "}" : "Not-validJSON-" + i).append('\n');
    }
    Files.writeString(in.resolve("mixed-15.ndjson"), lines.toString(), StandardCharsets.UTF_8);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Integrator integrator = new Integrator(
        IntegratorConfig.of(folder, broker.bootstrapServers(), topics.input())
            .withPollInterval(Duration.ofMillis(200))
            .withTimeout(DEADLINE),
        integratorApi, new PrintStream(printed, true, StandardCharsets.UTF_8));

    List<IngestResult> results = integrator.run();

    assertThat(results, hasSize(1));
    IngestResult result = results.get(0);
    assertThat(result.failureMessage(), nullValue());
    assertThat(result.outcome(), is(IngestResult.Outcome.COMPLETED));
    assertThat(result.expectedRecordCount(), is(15L));
    assertThat(result.actualRecordCount(), is(15L));
    assertThat(result.invalidRecordCount(), is(7L));
    assertThat(result.movedTo(), is(folder.resolve("processed/mixed-15.ndjson")));
    assertThat(Files.exists(folder.resolve("processed/mixed-15.ndjson.status.json")), is(true));
    String id = result.batchId();
    assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList(),
        contains(startsWith("mixed-15.ndjson: batch " + id + " created"),
            equalTo("mixed-15.ndjson: batch " + id + " sent 15 records"),
            equalTo("mixed-15.ndjson: batch " + id + " sendComplete"),
            startsWith("mixed-15.ndjson: batch " + id + " completed (valid 8, invalid 7) in ")));

    assertThat(awaitExactly(topics.output(), id, 8).stream().map(r -> utf8(r.key())).toList(),
        containsInAnyOrder(IntStream.range(0, 15).filter(i -> i % 2 == 0)
            .mapToObj(i -> "mixed-15.ndjson:" + (i + 1)).toArray()));
    List<InvalidRecord> invalid = invalidOf(awaitExactly(topics.invalid(), id, 7), id);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(), everyItem(startsWith("Invalid JSON: ")));
    assertThat(invalid.stream().map(InvalidRecord::batchId).toList(), everyItem(is(id)));
    List<BatchNotification> notifications = allNotifications(id);
    assertThat(statuses(notifications),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED));
    assertThat(notifications.get(2).actualRecordCount(), is(15L));
    assertThat(notifications.get(2).invalidRecordCount(), is(7L));
    assertThat(notifications.get(2).metadata(), is(Json.mapper().createObjectNode().put("file", "mixed-15.ndjson")));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void recordsOfAnUnknownBatchIdAreAllInvalid() throws Exception {
    String real = integratorApi.createBatch("unknown-id-real", topics.input(), "fhir", -1, null);
    String unknown = "no-such-batch-" + UUID.randomUUID();
    List<RecordMetadata> sent = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      sent.add(send(unknown, "k" + i, "{}"));
    }
    integratorApi.sendComplete(real, 15, null);

    List<ConsumerRecord<byte[], byte[]>> notices = awaitExactly(topics.invalid(), unknown, 15);
    List<InvalidRecord> invalid = invalidOf(notices, unknown);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(), everyItem(is("Bad Message - Unknown batchId")));
    assertThat(invalid.stream().map(InvalidRecord::batchId).toList(), everyItem(is(unknown)));
    assertThat(invalid.stream().map(r -> r.topic() + "/" + r.partition() + "/" + r.offset()).toList(),
        containsInAnyOrder(sent.stream().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).toArray()));
    assertThat(ofBatch(kafka.readAll(topics.output(), Duration.ZERO), unknown), empty());
    // The real batch got none of them and keeps waiting for its records.
    List<BatchNotification> notifications = allNotifications(real, Duration.ofMillis(DELAY_MS + 1_000));
    assertThat(statuses(notifications), contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED));
    assertThat(integratorApi.getBatch(real).status(), is(BatchStatus.SEND_COMPLETED));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void sendCompleteWithFewerRecordsThanSentFailsTheBatch() throws Exception {
    String id = integratorApi.createBatch("fewer-announced", topics.input(), "fhir", -1, null);
    for (int i = 0; i < 15; i++) {
      send(id, "k" + i, "{}");
    }
    awaitExactly(topics.output(), id, 15);
    integratorApi.sendComplete(id, 5, null);

    BatchNotification failed = awaitNotification(id, BatchStatus.FAILED);
    // The verdict comes as soon as the tracker has counted more than 5, whichever count delta that was.
    assertThat(failed.actualRecordCount(), both(greaterThan(5L)).and(lessThanOrEqualTo(15L)));
    assertThat(failed.invalidRecordCount(), is(0L));
    assertThat(failed.failureMessage(), is("Failing batch: " + id + ", received too many records, actualRecordCount: "
        + failed.actualRecordCount() + " > expectedRecordCount: 5"));
    assertThat(statuses(allNotifications(id)),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.FAILED));
    assertThat(integratorApi.getBatch(id).status(), is(BatchStatus.FAILED));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void moreRecordsWithinTheCompletionDelayFailTheBatch() throws Exception {
    String id = integratorApi.createBatch("more-within-delay", topics.input(), "fhir", -1, null);
    for (int i = 0; i < 15; i++) {
      send(id, "k" + i, "{}");
    }
    awaitExactly(topics.output(), id, 15);
    integratorApi.sendComplete(id, 15, null);
    for (int i = 15; i < 18; i++) { // well within the 5 s delay
      send(id, "k" + i, "{}");
    }

    BatchNotification failed = awaitNotification(id, BatchStatus.FAILED);
    assertThat(failed.actualRecordCount(), both(greaterThan(15L)).and(lessThanOrEqualTo(18L)));
    assertThat(failed.failureMessage(), is("Failing batch: " + id + ", received too many records, actualRecordCount: "
        + failed.actualRecordCount() + " > expectedRecordCount: 15"));
    // Counted records were valid and reached *.out; any validated after the failure reached the job's view of
    // the batch were dropped, as for any failed batch.
    List<ConsumerRecord<byte[], byte[]>> out = awaitBetween(topics.output(), id, failed.actualRecordCount(), 18);
    assertThat("each record once", out.stream().map(r -> utf8(r.key())).distinct().count(), is((long) out.size()));
    assertThat(awaitExactly(topics.invalid(), id, 0), empty());
    assertThat(statuses(allNotifications(id)),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.FAILED));
  }

  @Test
  @Execution(ExecutionMode.CONCURRENT)
  void recordsAfterCompletionAreInvalidAndTheBatchStaysCompleted() throws Exception {
    String id = integratorApi.createBatch("after-completion", topics.input(), "fhir", -1, null);
    for (int i = 0; i < 15; i++) {
      send(id, "k" + i, "{}");
    }
    integratorApi.sendComplete(id, 15, null);
    awaitNotification(id, BatchStatus.COMPLETED);
    awaitExactly(topics.output(), id, 15);

    // The completed notification reaches the job's view of the batches a moment after the topic: probe until
    // a record of the batch is refused (probes accepted before that are valid records, spec §8.9).
    int accepted = 0;
    while (!probeRefused(id, accepted + 1)) {
      accepted++;
      assertThat("probes accepted before the completion is known", accepted, lessThanOrEqualTo(10));
    }
    for (int i = 0; i < 15; i++) {
      send(id, "late-" + i, "{}");
    }

    List<InvalidRecord> invalid = invalidOf(awaitExactly(topics.invalid(), id, 15 + 1), id);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(),
        everyItem(is("Bad Message - batchId is already completed")));
    awaitExactly(topics.output(), id, 15 + accepted);
    assertThat(integratorApi.getBatch(id).status(), is(BatchStatus.COMPLETED));
    List<BatchNotification> notifications = allNotifications(id);
    assertThat(statuses(notifications),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED));
    assertThat(notifications.get(2).actualRecordCount(), is(15L));
  }

  /**
   * Sends one valid probe record and waits until it comes out: true when it was refused (on {@code *.invalid}:
   * the job knows the batch is completed), false when it was accepted (on {@code *.out}).
   */
  private boolean probeRefused(String id, int probe) {
    RecordMetadata sent = send(id, "probe-" + probe, "{}");
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      boolean refused = invalidOf(kafka.readAll(topics.invalid(), Duration.ZERO), id).stream()
          .anyMatch(r -> r.partition() == sent.partition() && r.offset() == sent.offset());
      if (refused) {
        return true;
      }
      if (ofBatch(kafka.readAll(topics.output(), Duration.ZERO), id).stream()
          .anyMatch(r -> ("probe-" + probe).equals(utf8(r.key())))) {
        return false;
      }
    }
    throw new AssertionError("probe " + probe + " of batch " + id + " reached neither " + topics.output() + " nor "
        + topics.invalid() + " within " + DEADLINE);
  }

  // -----------------------------------------------------------------------------------------------------------
  // Helpers

  private BatchConsumer consumer() {
    return new BatchConsumer(topics, Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  private RecordMetadata send(String batchId, String key, String value, Header... extra) {
    List<Header> headers = new ArrayList<>();
    headers.add(header("batchId", batchId));
    headers.addAll(List.of(extra));
    return kafka.send(topics.input(), key, value, headers);
  }

  /** Waits until {@code count} records of the batch reached {@code topic}, then checks that no more arrive. */
  private List<ConsumerRecord<byte[], byte[]>> awaitExactly(String topic, String batchId, int count) {
    return awaitBetween(topic, batchId, count, count);
  }

  /** Waits until at least {@code min} records of the batch reached {@code topic}; checks at most {@code max} do. */
  private List<ConsumerRecord<byte[], byte[]>> awaitBetween(String topic, String batchId, long min, long max) {
    kafka.readUntil(topic, records -> ofBatch(records, batchId).size() >= min, DEADLINE);
    List<ConsumerRecord<byte[], byte[]>> records = ofBatch(kafka.readAll(topic, QUIET), batchId);
    assertThat("records of batch " + batchId + " on " + topic, (long) records.size(),
        both(greaterThanOrEqualTo(min)).and(lessThanOrEqualTo(max)));
    return records;
  }

  private static List<ConsumerRecord<byte[], byte[]>> ofBatch(List<ConsumerRecord<byte[], byte[]>> records,
      String batchId) {
    return records.stream().filter(r -> batchId.equals(KafkaTestClient.lastHeader(r, "batchId"))).toList();
  }

  private static List<InvalidRecord> invalidOf(List<ConsumerRecord<byte[], byte[]>> records, String batchId) {
    List<InvalidRecord> invalid = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : ofBatch(records, batchId)) {
      try {
        invalid.add(InvalidRecord.fromJson(record.value()));
      } catch (IOException e) {
        throw new AssertionError("not an invalid-record notice at " + record.topic() + "-" + record.partition()
            + "@" + record.offset(), e);
      }
    }
    return invalid;
  }

  /** Waits for the batch's notification with this status and returns it. */
  private BatchNotification awaitNotification(String batchId, BatchStatus status) {
    List<ConsumerRecord<byte[], byte[]>> records = kafka.readUntil(topics.notification(),
        r -> notificationsOf(r, batchId).stream().anyMatch(n -> n.status() == status), DEADLINE);
    return notificationsOf(records, batchId).stream().filter(n -> n.status() == status).findFirst().orElseThrow();
  }

  /** Every notification of the batch, read to the end of the topic and then for {@link #QUIET}. */
  private List<BatchNotification> allNotifications(String batchId) {
    return allNotifications(batchId, QUIET);
  }

  private List<BatchNotification> allNotifications(String batchId, Duration quiet) {
    return notificationsOf(kafka.readAll(topics.notification(), quiet), batchId);
  }

  private static List<BatchNotification> notificationsOf(List<ConsumerRecord<byte[], byte[]>> records,
      String batchId) {
    List<BatchNotification> notifications = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.key() != null && batchId.equals(utf8(r.key()))) {
        try {
          notifications.add(BatchNotification.fromJson(r.value()));
        } catch (IOException e) {
          throw new AssertionError("unreadable notification of batch " + batchId, e);
        }
      }
    }
    return notifications;
  }

  private static List<BatchStatus> statuses(List<BatchNotification> notifications) {
    return notifications.stream().map(BatchNotification::status).toList();
  }
}

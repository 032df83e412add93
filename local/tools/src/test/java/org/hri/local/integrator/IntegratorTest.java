package org.hri.local.integrator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.hri.local.integrator.IngestResult.Outcome;
import org.hri.pipeline.model.Json;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Verdict;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class IntegratorTest {
  /** The project's sample: synthetic Synthea FHIR bundles, one per line. */
  static final Path SAMPLE = Path.of("../../data/synthea-sample-200.ndjson");
  private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

  @TempDir Path folder;
  private FakeManagementApi api;
  private String tenant;
  private String topic;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void setUp(KafkaBroker broker) throws IOException {
    api = startApi();
    tenant = KafkaBroker.uniqueTopicName("t");
    topic = "ingest." + tenant + ".di.in";
    broker.createTopic(topic, 1);
    Files.createDirectories(folder.resolve("in"));
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  /** The Management API stand-in as a Data Integrator without OAuth sees it: every batch completes, all valid. */
  static FakeManagementApi startApi() throws IOException {
    FakeManagementApi api = FakeManagementApi.start();
    api.acceptCallsWithoutToken();
    api.onSendComplete(Verdict::allValid);
    return api;
  }

  private Integrator integrator(IntegratorConfig config) {
    try {
      return new Integrator(config, new BatchApiClient(api.baseUrl(), tenant, null, Duration.ofSeconds(10)),
          new PrintStream(printed, true, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IntegratorConfig config(KafkaBroker broker) {
    return IntegratorConfig.of(folder, broker.bootstrapServers(), topic)
        .withTimeout(Duration.ofSeconds(20))
        .withPollInterval(Duration.ofMillis(50));
  }

  private List<String> printedLines() {
    return printed.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(folder.resolve("in").resolve(name), content, StandardCharsets.UTF_8);
  }

  static JsonNode readJson(Path file) throws IOException {
    return Json.mapper().readTree(Files.readAllBytes(file));
  }

  @Test
  void goodFileIsSentAsOneBatchAndLandsInProcessed(KafkaBroker broker, KafkaTestClient kafka) throws IOException {
    List<String> sample;
    try (Stream<String> lines = Files.lines(SAMPLE)) {
      sample = lines.limit(50).toList();
    }
    List<String> content = new ArrayList<>(sample.subList(0, 10));
    content.add(""); // line 11 is empty: no record, but line numbers keep counting
    content.addAll(sample.subList(10, 50));
    Path file = write("bundles.ndjson", String.join("\n", content) + "\n");

    IngestResult result = integrator(config(broker).withDataType("claims").withInvalidThreshold(5)).ingest(file);

    assertThat(result.outcome(), is(Outcome.COMPLETED));
    String id = result.batchId();
    assertThat(id, notNullValue());
    Path processed = folder.resolve("processed").resolve("bundles.ndjson");
    assertThat(result.movedTo(), equalTo(processed));
    assertThat(Files.readAllLines(processed), equalTo(content));
    assertThat(Files.exists(file), is(false));
    JsonNode status = readJson(folder.resolve("processed").resolve("bundles.ndjson.status.json"));
    assertThat(status.get("batchId").asText(), equalTo(id));
    assertThat(status.get("status").asText(), equalTo("completed"));
    assertThat(status.get("expectedRecordCount").asLong(), equalTo(50L));
    assertThat(status.get("actualRecordCount").asLong(), equalTo(50L));
    assertThat(status.get("invalidRecordCount").asLong(), equalTo(0L));
    assertThat(status.get("failureMessage").isNull(), is(true));
    assertThat(status.get("seconds").isNumber(), is(true));

    // The Management API calls
    JsonNode create = api.requests("POST", "/batches").get(0).json();
    assertThat(create.get("name").asText(), equalTo("bundles.ndjson"));
    assertThat(create.get("topic").asText(), equalTo(topic));
    assertThat(create.get("dataType").asText(), equalTo("claims"));
    assertThat(create.get("invalidThreshold").asLong(), equalTo(5L));
    assertThat(create.get("metadata").toString(), equalTo("{\"file\":\"bundles.ndjson\"}"));
    assertThat(api.requests("PUT", "/" + id + "/action/sendComplete").get(0).json()
        .get("expectedRecordCount").asLong(), equalTo(50L));
    assertThat(api.requests("PUT", "/action/terminate"), empty());

    // Every record on the input topic: key <file>:<line>, the batchId header, the line unchanged
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < content.size(); i++) {
      if (!content.get(i).isEmpty()) {
        expected.put("bundles.ndjson:" + (i + 1), content.get(i));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> records = kafka.readExactly(topic, 50, READ_DEADLINE);
    Map<String, String> got = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      got.put(KafkaTestClient.utf8(r.key()), KafkaTestClient.utf8(r.value()));
      assertThat(KafkaTestClient.headerStrings(r), equalTo(List.of("batchId=" + id)));
    }
    assertThat(got, equalTo(expected));
    assertThat(got.containsKey("bundles.ndjson:11"), is(false));

    // zstd on the wire: the broker keeps the producer's batches as they came
    List<CompressionType> compression = compressionOf(broker, topic);
    assertThat(compression, not(empty()));
    assertThat(compression, everyItem(is(CompressionType.ZSTD)));

    // One line per batch event, no record content
    assertThat(printedLines(), hasSize(4));
    assertThat(printedLines().get(0), equalTo("bundles.ndjson: batch " + id + " created"));
    assertThat(printedLines().get(1), equalTo("bundles.ndjson: batch " + id + " sent 50 records"));
    assertThat(printedLines().get(2), equalTo("bundles.ndjson: batch " + id + " sendComplete"));
    assertThat(printedLines().get(3), startsWith("bundles.ndjson: batch " + id
        + " completed (valid 50, invalid 0) in "));
    assertThat(printed.toString(StandardCharsets.UTF_8), not(containsString("resourceType")));
  }

  @Test
  void failedBatchLandsInFailedWithItsFailureMessage(KafkaBroker broker) throws IOException {
    String message = "Failing Batch: x, too many invalid records invalidCount: 2 == invalidThreshold: 2";
    api.onSendComplete(b -> Verdict.failed(3, 2, message));
    Path file = write("claims.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");

    IngestResult result = integrator(config(broker)).ingest(file);

    assertThat(result.outcome(), is(Outcome.FAILED));
    assertThat(result.failureMessage(), equalTo(message));
    assertThat(Files.exists(folder.resolve("failed").resolve("claims.jsonl")), is(true));
    JsonNode status = readJson(folder.resolve("failed").resolve("claims.jsonl.status.json"));
    assertThat(status.get("batchId").asText(), equalTo(result.batchId()));
    assertThat(status.get("status").asText(), equalTo("failed"));
    assertThat(status.get("expectedRecordCount").asLong(), equalTo(3L));
    assertThat(status.get("actualRecordCount").asLong(), equalTo(3L));
    assertThat(status.get("invalidRecordCount").asLong(), equalTo(2L));
    assertThat(status.get("failureMessage").asText(), equalTo(message));
    assertThat(printedLines().get(3), equalTo("claims.jsonl: batch " + result.batchId() + " failed: " + message));
  }

  @Test
  void unreadableFilesGoToFailedWithoutABatch(KafkaBroker broker) throws Exception {
    Path in = folder.resolve("in");
    Files.createDirectory(in.resolve("a-directory.ndjson"));
    write("b-not-json.json", "{\"patient\": SECRET-VALUE}");
    write("c-blank.ndjson", "\n  \n\n");
    write("d-notes.txt", "{\"a\":1}\n");
    Files.write(in.resolve("e-latin1.ndjson"), new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'});
    write("f-empty.json", "");

    List<IngestResult> results = integrator(config(broker)).run();

    assertThat(results.stream().map(IngestResult::file).toList(), equalTo(List.of("a-directory.ndjson",
        "b-not-json.json", "c-blank.ndjson", "d-notes.txt", "e-latin1.ndjson", "f-empty.json")));
    assertThat(results.stream().map(IngestResult::outcome).toList(), everyItem(is(Outcome.UNREADABLE)));
    assertThat(api.requests("POST", "/batches"), empty());
    try (Stream<Path> left = Files.list(in)) {
      assertThat(left.toList(), empty());
    }
    Path failed = folder.resolve("failed");
    assertThat(Files.isDirectory(failed.resolve("a-directory.ndjson")), is(true));
    Map<String, String> reasons = new HashMap<>();
    for (IngestResult r : results) {
      JsonNode status = readJson(failed.resolve(r.file() + ".status.json"));
      assertThat(status.get("batchId").isNull(), is(true));
      assertThat(status.get("status").asText(), equalTo("unreadable"));
      reasons.put(r.file(), status.get("failureMessage").asText());
    }
    assertThat(reasons.get("a-directory.ndjson"), containsString("directory"));
    assertThat(reasons.get("b-not-json.json"), containsString("not a JSON document"));
    assertThat(reasons.get("b-not-json.json"), not(containsString("SECRET")));
    assertThat(reasons.get("c-blank.ndjson"), containsString("no records"));
    assertThat(reasons.get("d-notes.txt"), containsString("unsupported file type"));
    assertThat(reasons.get("e-latin1.ndjson"), containsString("not valid UTF-8 text at line 1"));
    assertThat(reasons.get("f-empty.json"), containsString("no records"));
    assertThat(printedLines(), hasSize(6));
    assertThat(printedLines().get(0), startsWith("a-directory.ndjson: unreadable, no batch created: "));
    assertThat(printed.toString(StandardCharsets.UTF_8), not(containsString("SECRET")));
  }

  @Test
  void fileUnreadableMidwayTerminatesItsBatch(KafkaBroker broker) throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes("{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
    content.writeBytes(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'});
    content.writeBytes("{\"n\":4}\n".getBytes(StandardCharsets.UTF_8));
    Path file = Files.write(folder.resolve("in").resolve("broken.ndjson"), content.toByteArray());

    IngestResult result = integrator(config(broker)).ingest(file);

    assertThat(result.outcome(), is(Outcome.TERMINATED));
    assertThat(result.batchId(), notNullValue());
    assertThat(result.failureMessage(), containsString("not valid UTF-8 text at line 3"));
    assertThat(api.batchStatus(result.batchId()).orElseThrow(), equalTo("terminated"));
    assertThat(api.requests("PUT", "/action/terminate"), hasSize(1));
    assertThat(api.requests("PUT", "/action/sendComplete"), empty());
    assertThat(Files.exists(folder.resolve("failed").resolve("broken.ndjson")), is(true));
    JsonNode status = readJson(folder.resolve("failed").resolve("broken.ndjson.status.json"));
    assertThat(status.get("status").asText(), equalTo("terminated"));
    assertThat(status.get("batchId").asText(), equalTo(result.batchId()));
    assertThat(status.get("expectedRecordCount").isNull(), is(true));
    assertThat(printedLines().get(1), startsWith("broken.ndjson: batch " + result.batchId() + " terminated: "));
  }

  @Test
  void produceFailureMidwayTerminatesTheBatch(KafkaBroker broker) throws IOException {
    // Line 3 is bigger than max.request.size (1 MB) even before compression: the producer refuses it.
    StringBuilder big = new StringBuilder("{\"blob\":\"");
    Random random = new Random(7);
    while (big.length() < 1_200_000) {
      big.append((char) ('a' + random.nextInt(26)));
    }
    big.append("\"}");
    Path file = write("big.ndjson", "{\"n\":1}\n{\"n\":2}\n" + big + "\n{\"n\":4}\n");

    IngestResult result = integrator(config(broker)).ingest(file);

    assertThat(result.outcome(), is(Outcome.TERMINATED));
    assertThat(result.failureMessage(), containsString("line 3"));
    assertThat(result.failureMessage(), containsString("RecordTooLargeException"));
    assertThat(api.batchStatus(result.batchId()).orElseThrow(), equalTo("terminated"));
    assertThat(api.requests("PUT", "/action/sendComplete"), empty());
    assertThat(Files.exists(folder.resolve("failed").resolve("big.ndjson")), is(true));
    assertThat(readJson(folder.resolve("failed").resolve("big.ndjson.status.json")).get("status").asText(),
        equalTo("terminated"));
  }

  /** Ingests a one-record file while the API answers 500 once to {@code method} on {@code path}. */
  private IngestResult ingestWhileTheApiFails(KafkaBroker broker, String method, String path, String name)
      throws IOException {
    api.respondWith(method, path, 500, 1);
    return integrator(config(broker)).ingest(write(name, "{\"n\":1}\n"));
  }

  @Test
  void refusedSendCompleteTerminatesTheBatch(KafkaBroker broker) throws IOException {
    IngestResult result = ingestWhileTheApiFails(broker, "PUT", "/action/sendComplete", "a.ndjson");

    assertThat(result.outcome(), is(Outcome.TERMINATED));
    assertThat(result.failureMessage(), containsString("sendComplete failed: HTTP 500"));
    assertThat(api.batchStatus(result.batchId()).orElseThrow(), equalTo("terminated"));
    assertThat(Files.exists(folder.resolve("failed").resolve("a.ndjson")), is(true));
  }

  @Test
  void batchWithoutFinalStatusTimesOut(KafkaBroker broker) throws IOException {
    api.onSendComplete(b -> Verdict.none());
    Path file = write("slow.ndjson", "{\"n\":1}\n{\"n\":2}\n");

    IngestResult result = integrator(config(broker).withTimeout(Duration.ofSeconds(1))).ingest(file);

    assertThat(result.outcome(), is(Outcome.TIMEOUT));
    assertThat(result.failureMessage(), containsString("last status: sendCompleted"));
    JsonNode status = readJson(folder.resolve("failed").resolve("slow.ndjson.status.json"));
    assertThat(status.get("status").asText(), equalTo("timeout"));
    assertThat(status.get("expectedRecordCount").asLong(), equalTo(2L));
    assertThat(status.get("actualRecordCount").isNull(), is(true));
  }

  @Test
  void jsonFileIsOneRecordAndNamesAreNotReused(KafkaBroker broker, KafkaTestClient kafka) throws IOException {
    String document = "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\"\n}\n";
    Files.createDirectories(folder.resolve("processed"));
    Files.writeString(folder.resolve("processed").resolve("doc.json"), "an earlier file of the same name");
    Path file = write("doc.json", document);

    IngestResult result = integrator(config(broker)).ingest(file);

    assertThat(result.outcome(), is(Outcome.COMPLETED));
    assertThat(result.movedTo(), equalTo(folder.resolve("processed").resolve("doc.1.json")));
    assertThat(result.statusFile(), equalTo(folder.resolve("processed").resolve("doc.1.json.status.json")));
    ConsumerRecord<byte[], byte[]> record = kafka.readExactly(topic, 1, READ_DEADLINE).get(0);
    assertThat(KafkaTestClient.utf8(record.key()), equalTo("doc.json:1"));
    assertThat(KafkaTestClient.utf8(record.value()), equalTo(document));
    assertThat(KafkaTestClient.lastHeader(record, "batchId"), equalTo(result.batchId()));
  }

  @Test
  void oauthTokenIsFetchedOnceAndSentWithEveryCall(KafkaBroker broker) throws Exception {
    api.close();
    api = FakeManagementApi.start(); // batch calls need a token it issued
    api.onSendComplete(Verdict::allValid);
    write("1.ndjson", "{\"n\":1}\n");
    write("2.ndjson", "{\"n\":2}\n");
    BatchApiClient client = new BatchApiClient(api.baseUrl(), tenant,
        new BatchApiClient.OAuth(api.oauthUrl(), "integrator-1", "s3cret", "hri-app"), Duration.ofSeconds(10));
    Integrator integrator = new Integrator(config(broker), client,
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    List<IngestResult> results = integrator.run();

    assertThat(results.stream().map(IngestResult::outcome).toList(),
        equalTo(List.of(Outcome.COMPLETED, Outcome.COMPLETED)));
    assertThat(api.tokensIssued(), is(1));
    FakeManagementApi.Request token = api.requests("POST", "/oauth/token").get(0);
    assertThat(token.header("authorization"), equalTo("Basic " + Base64.getEncoder()
        .encodeToString("integrator-1:s3cret".getBytes(StandardCharsets.UTF_8))));
    assertThat(token.header("content-type"), equalTo("application/x-www-form-urlencoded"));
    assertThat(token.body(), equalTo("grant_type=client_credentials&scope=hri_data_integrator+tenant_" + tenant
        + "&audience=hri-app"));
    List<FakeManagementApi.Request> batchCalls = new ArrayList<>(api.requests("POST", "/batches"));
    batchCalls.addAll(api.requests("PUT", "/action/sendComplete"));
    batchCalls.addAll(api.requests("GET", "/" + results.get(0).batchId()));
    assertThat(batchCalls, hasSize(not(0)));
    for (FakeManagementApi.Request call : batchCalls) {
      assertThat(call.header("authorization"), equalTo("Bearer token-1"));
      assertThat(call.path(), startsWith("/hri/tenants/" + tenant + "/batches"));
    }
    assertThat(printed.toString(StandardCharsets.UTF_8), not(containsString("s3cret")));
  }

  @Test
  void createFailureLeavesNoBatchAndFailsTheFile(KafkaBroker broker) throws IOException {
    IngestResult result = ingestWhileTheApiFails(broker, "POST", "/batches", "x.ndjson");

    assertThat(result.outcome(), is(Outcome.ERROR));
    assertThat(result.batchId(), nullValue());
    assertThat(result.failureMessage(), containsString("could not create the batch: create batch failed: HTTP 500"));
    assertThat(api.batchIds(), empty());
    assertThat(Files.exists(folder.resolve("failed").resolve("x.ndjson")), is(true));
    assertThat(printedLines(), equalTo(List.of("x.ndjson: error, no batch created: " + result.failureMessage())));
  }

  @Test
  void interruptBeforeTheBatchIsCreatedLeavesTheFileAlone(KafkaBroker broker) throws IOException {
    Path file = write("later.ndjson", "{\"n\":1}\n");

    Thread.currentThread().interrupt();
    IngestResult result = integrator(config(broker)).ingest(file);
    assertThat(Thread.interrupted(), is(true)); // the flag is kept for the caller

    assertThat(result.outcome(), is(Outcome.INTERRUPTED));
    assertThat(result.batchId(), nullValue());
    assertThat(api.requests("POST", "/batches"), empty());
    assertThat(Files.exists(file), is(true));
    assertThat(Files.exists(folder.resolve("failed").resolve("later.ndjson.status.json")), is(false));
  }

  @Test
  void interruptWhileSendingTerminatesTheBatch(KafkaBroker broker) throws IOException {
    Path file = write("stopped.ndjson", "{\"n\":1}\n{\"n\":2}\n");
    Thread caller = Thread.currentThread();
    api.onCreate(caller::interrupt); // arrives while the batch is being created

    IngestResult result = integrator(config(broker)).ingest(file);
    assertThat(Thread.interrupted(), is(true));

    assertThat(result.outcome(), is(Outcome.TERMINATED));
    assertThat(result.batchId(), notNullValue());
    assertThat(result.failureMessage(), equalTo("interrupted after sending 0 records"));
    assertThat(api.batchStatus(result.batchId()).orElseThrow(), equalTo("terminated"));
    assertThat(api.requests("PUT", "/action/sendComplete"), empty());
    assertThat(Files.exists(folder.resolve("failed").resolve("stopped.ndjson")), is(true));
  }

  /** Compression types of the record batches the broker stored for the topic (all partitions). */
  static List<CompressionType> compressionOf(KafkaBroker broker, String topic) throws IOException {
    List<CompressionType> types = new ArrayList<>();
    for (int partition = 0; ; partition++) {
      Path dir = broker.dataDirectory().resolve(topic + "-" + partition);
      if (!Files.isDirectory(dir)) {
        return types;
      }
      List<Path> segments;
      try (Stream<Path> files = Files.list(dir)) {
        segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
      }
      for (Path segment : segments) {
        FileRecords records = FileRecords.open(segment.toFile(), false);
        try {
          for (RecordBatch batch : records.batches()) {
            types.add(batch.compressionType());
          }
        } finally {
          records.closeHandlers();
        }
      }
    }
  }
}

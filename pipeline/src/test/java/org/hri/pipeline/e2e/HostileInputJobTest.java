package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.validation.RecordValidator;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Request;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.StderrCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One bad input costs one record or one batch, never the stream: hostile headers, malformed notifications and
 * Management API answers about single batches, all in one stream, while good batches around them complete.
 */
@ExtendWith(KafkaBrokerExtension.class)
public class HostileInputJobTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** In every payload: it must appear in no log line and no invalid-record notice. */
  private static final String MARKER = "PAYLOAD-MARKER-5d1e";
  private static final String BODY = "{\"note\":\"" + MARKER + "\"}";

  /** The runner the scenario runs on; subclasses in the runner modules rerun it elsewhere. */
  protected List<String> runnerArgs() {
    return RunningJob.DIRECT_RUNNER;
  }

  @Test
  void hostileInputCostsItsRecordOrItsBatchAndTheStreamGoesOn(KafkaBroker broker) throws Exception {
    String log;
    try (StderrCapture capture = StderrCapture.start()) {
      runHostileStream(broker);
      log = capture.text();
    }
    assertThat(log.isEmpty(), is(false));
    assertThat("the job's log output", log, not(containsString(MARKER)));
  }

  private void runHostileStream(KafkaBroker broker) throws Exception {
    String deadLetterTopic = KafkaBroker.uniqueTopicName("ingest.tenant1.deadletters");
    broker.createTopic(deadLetterTopic, 1);
    try (FakeManagementApi api = FakeManagementApi.start();
        RunningJob job =
            RunningJob.start(
                broker, ValidateRecords.using(new NestingValidator()), runnerArgs(),
                "--deadLetterTopic=" + deadLetterTopic, "--mgmtUrl=" + api.baseUrl(), "--oauthUrl=" + api.oauthUrl(),
                "--clientId=validation-job", "--clientSecret=s3cret", "--audience=hri-app", "--batchCompletionDelay=1000",
                "--mgmtInitialBackoff=200", "--mgmtMaxBackoff=1000")) {
      String input = job.topics.input();
      // Bad headers: invalid at once, no call.
      List<RecordMetadata> badHeaders = new ArrayList<>();
      badHeaders.add(sendWithBatchId(job, "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8)));
      badHeaders.add(sendWithBatchId(job, new byte[0]));
      badHeaders.add(sendWithBatchId(job, new byte[] {(byte) 0xC3, 0x28}));
      badHeaders.add(sendWithBatchId(job, "a\u0007b".getBytes(StandardCharsets.UTF_8)));
      badHeaders.add(
          job.kafka.send(input, "k", BODY, List.of(header("batchId", "twice"), header("batchId", "twice"))));
      // Malformed notifications: skipped, dead letters.
      List<RecordMetadata> malformed = List.of(
          job.kafka.send(job.topics.notification(), "n3",
              "{\"id\": \"n3\", \"status\": \"sendCompleted\", \"expectedRecordCount\": -5}"),
          job.kafka.send(job.topics.notification(), "n4",
              "{\"id\": \"n4\", \"status\": \"started\", \"recordCount\": 1.5}"),
          job.kafka.send(job.topics.notification(), "n5", "{\"id\": \"n5\", \"status\": \"halfway\"}"));
      // Batches the API answers about: looked up, quarantined; a batch of another stream.
      api.alwaysRespondWith("GET", "/batches/rejected-400", 400);
      api.alwaysRespondWith("GET", "/batches/rejected-414", 414);
      BatchNotification elsewhere = Batches.started("elsewhere", "ingest.tenant1.other.in", -1);
      api.putBatch("elsewhere", new String(elsewhere.toJson(), StandardCharsets.UTF_8));
      // A lookup the API refuses for a while (a revoked token, a rate limit): retried, the records wait.
      BatchNotification patient = Batches.started(Batches.newId("patient"), input, -1);
      api.putBatch(patient.id(), new String(patient.toJson(), StandardCharsets.UTF_8));
      api.respondWith("GET", "/batches/" + patient.id(), 401, 2);
      api.respondWithRetryAfter("GET", "/batches/" + patient.id(), 429, 1, "1");
      for (String batchId : List.of("rejected-400", "rejected-414", "elsewhere", patient.id())) {
        job.send(batchId, "k1", BODY);
        job.send(batchId, "k2", BODY);
      }
      // A batch whose verdict the API answers 404 (it was deleted meanwhile): given up, not retried.
      BatchNotification unknownToApi = Batches.started(Batches.newId("unknown-to-api"), input, -1);
      api.putBatch(unknownToApi.id(), new String(unknownToApi.toJson(), StandardCharsets.UTF_8));
      api.alwaysRespondWith("PUT", unknownToApi.id() + "/action/processingComplete", 404);
      job.notify(unknownToApi);
      job.send(unknownToApi.id(), "k", BODY);
      job.notify(Batches.sendCompleted(unknownToApi, 1));
      // A notification about another stream's batch: ignored, no verdict for it.
      job.kafka.send(job.topics.notification(), "foreign",
          "{\"id\": \"foreign\", \"status\": \"sendCompleted\", \"topic\": \"ingest.tenant1.other.in\","
              + " \"expectedRecordCount\": 0}");
      // A validator that overflows its stack costs that record.
      BatchNotification deep = Batches.started(Batches.newId("deep"), input, -1);
      api.putBatch(deep.id(), new String(deep.toJson(), StandardCharsets.UTF_8));
      job.send(deep.id(), "k1", "[".repeat(200_000) + MARKER);
      job.send(deep.id(), "k2", "[[]]");
      // A good batch after all of that.
      BatchNotification good = Batches.started(Batches.newId("good"), input, -1);
      api.putBatch(good.id(), new String(good.toJson(), StandardCharsets.UTF_8));
      job.notify(good);
      for (int i = 0; i < 5; i++) {
        job.send(good.id(), "k" + i, BODY);
      }
      BatchNotification goodSent = Batches.sendCompleted(good, 5);
      api.putBatch(good.id(), new String(goodSent.toJson(), StandardCharsets.UTF_8));
      job.notify(goodSent);

      Request completed = api.awaitRequests("PUT", good.id() + "/action/processingComplete", 1, WAIT).get(0);
      assertThat(completed.body(), is("{\"actualRecordCount\":5,\"invalidRecordCount\":0}"));
      job.awaitExactly(job.topics.output(), good.id(), 5);
      job.awaitExactly(job.topics.output(), patient.id(), 2);
      assertThat(api.awaitRequests("PUT", unknownToApi.id() + "/action/processingComplete", 1, WAIT), hasSize(1));

      assertThat(failures(job.awaitInvalid(deep.id(), 1)), everyItem(is("java.lang.StackOverflowError")));
      job.awaitExactly(job.topics.output(), deep.id(), 1);
      assertThat(failures(job.awaitInvalid("rejected-400", 2)),
          everyItem(is("Bad Message - HRI Management API rejected the batch: HTTP 400")));
      assertThat(failures(job.awaitInvalid("rejected-414", 2)),
          everyItem(is("Bad Message - HRI Management API rejected the batch: HTTP 414")));
      assertThat(failures(job.awaitInvalid("elsewhere", 2)),
          everyItem(is("Bad Message - batch belongs to another stream")));
      List<InvalidRecord> headerless =
          job.kafka.readUntil(job.topics.invalid(), records -> withoutBatchId(records).size() >= 5, WAIT).stream()
              .filter(r -> r.headers().lastHeader("batchId") == null).map(HostileInputJobTest::invalid).toList();
      assertThat(headerless.stream().map(r -> r.partition() + "@" + r.offset()).toList(),
          containsInAnyOrder(badHeaders.stream().map(m -> m.partition() + "@" + m.offset()).toArray()));
      assertThat(failures(headerless), everyItem(is("Bad Message - Invalid batchId header")));

      // Each quarantined batch was asked about once; no bad header reached the API; no verdict was retried.
      assertThat(api.requests("GET", "/batches/rejected-400"), hasSize(1));
      assertThat(api.requests("GET", "/batches/rejected-414"), hasSize(1));
      assertThat(api.requests("GET", "/batches/"), empty());
      for (Request request : api.requests()) {
        assertThat(request.path().length(), lessThan(400));
      }
      assertThat(api.requests().stream().filter(r -> r.method().equals("PUT")).toList(), hasSize(2));
      assertThat(api.requests("PUT", "/batches/foreign/action/processingComplete"), empty());
      assertThat(api.requests("GET", "/batches/" + patient.id()), hasSize(4)); // 401, its repeat, 429, 200
      // What the job gave up on without a record to route: the malformed notifications, the 404'd verdict.
      List<DeadLetter> deadLetters =
          job.kafka.readUntil(deadLetterTopic, records -> records.size() >= 4, WAIT).stream()
              .map(HostileInputJobTest::deadLetter).toList();
      assertThat(deadLetters.stream().filter(d -> d.verdict() == null).toList(), containsInAnyOrder(
          DeadLetter.malformedNotification(position(malformed.get(0)),
              "Notification field expectedRecordCount is below 0"),
          DeadLetter.malformedNotification(position(malformed.get(1)),
              "Notification field recordCount is not a whole number"),
          DeadLetter.malformedNotification(position(malformed.get(2)),
              "Notification is malformed (ValueInstantiationException)")));
      DeadLetter rejected = deadLetters.stream().filter(d -> d.verdict() != null).findFirst().orElseThrow();
      assertThat(List.of(rejected.kind(), rejected.subject(), rejected.reason()),
          is(List.of(DeadLetter.Kind.VERDICT_REJECTED, unknownToApi.id(),
              "The HRI Management API rejected the verdict: HTTP 404 (Not found)")));
      assertThat(rejected.verdict(), is(new DeadLetter.Verdict(BatchStatus.COMPLETED, 1L, 0L, null)));
      assertThat(job.kafka.readAll(deadLetterTopic, Duration.ofSeconds(1)), hasSize(4));
      assertThat(job.result().getState(), is(PipelineResult.State.RUNNING));
      assertThat(job.kafka.readAll(job.topics.invalid(), Duration.ofSeconds(1)).stream()
          .map(r -> new String(r.value(), StandardCharsets.UTF_8)).filter(v -> v.contains(MARKER)).toList(), empty());
      assertThat(job.kafka.readAll(job.topics.output(), Duration.ofSeconds(1)).stream()
          .filter(r -> r.headers().lastHeader("batchId") == null).toList(), empty());
    }
  }

  /** Valid when its brackets nest; counts their depth by recursion, as a naive parser would. */
  static final class NestingValidator implements RecordValidator {
    @Override
    public ValidationResult validate(HriRecord record) {
      depth(record.valueAsString(), 0);
      return ValidationResult.valid();
    }

    private static int depth(String text, int at) {
      return at < text.length() && text.charAt(at) == '[' ? 1 + depth(text, at + 1) : 0;
    }
  }

  private static RecordMetadata sendWithBatchId(RunningJob job, byte[] batchId) {
    return job.kafka.send(job.topics.input(), "k".getBytes(StandardCharsets.UTF_8),
        BODY.getBytes(StandardCharsets.UTF_8), List.of(new RecordHeader("batchId", batchId)));
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ConsumerRecord<byte[], byte[]>> withoutBatchId(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().filter(r -> r.headers().lastHeader("batchId") == null).toList();
  }

  private static InvalidRecord invalid(ConsumerRecord<byte[], byte[]> record) {
    try {
      return InvalidRecord.fromJson(record.value());
    } catch (IOException e) {
      throw new AssertionError("not an invalid-record notice", e);
    }
  }

  private static String position(RecordMetadata sent) {
    return sent.topic() + "-" + sent.partition() + "@" + sent.offset();
  }

  private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
    try {
      return DeadLetter.fromJson(record.value());
    } catch (IOException e) {
      throw new AssertionError("not a dead letter", e);
    }
  }

  private static List<String> failures(List<InvalidRecord> invalid) {
    return invalid.stream().map(InvalidRecord::failure).toList();
  }
}

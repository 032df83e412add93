package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Request;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job with the Management API, end to end: a real HTTP server stands in for the API and, like the real
 * one, publishes every status change it makes to the notification topic, closing the loop.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ManagementApiJobTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private FakeManagementApi api;
  private RunningJob job;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    api = FakeManagementApi.start();
    job =
        RunningJob.start(
            broker, ValidateRecords.using(new JsonBodyValidator()), runnerArgs(),
            "--mgmtUrl=" + api.baseUrl(), "--oauthUrl=" + api.oauthUrl(), "--clientId=validation-job",
            "--clientSecret=s3cret", "--audience=hri-app", "--batchCompletionDelay=2000",
            "--mgmtInitialBackoff=200", "--mgmtMaxBackoff=1000");
    api.onBatchUpdated(json -> {
      try {
        job.notify(BatchNotification.fromJson(json.getBytes(StandardCharsets.UTF_8)));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The runner the scenarios run on; subclasses in the runner modules rerun them elsewhere. */
  protected List<String> runnerArgs() {
    return RunningJob.DIRECT_RUNNER;
  }

  @AfterAll
  void stop() {
    job.close();
    api.close();
  }

  /** Creates the batch the way the Management API does: stored, and announced on the notification topic. */
  private BatchNotification create(String prefix) {
    BatchNotification started = Batches.started(Batches.newId(prefix), job.topics.input(), -1);
    api.putBatch(started.id(), new String(started.toJson(), StandardCharsets.UTF_8));
    job.notify(started);
    return started;
  }

  private void sendComplete(BatchNotification started, long expected) {
    BatchNotification sendCompleted = Batches.sendCompleted(started, expected);
    api.putBatch(started.id(), new String(sendCompleted.toJson(), StandardCharsets.UTF_8));
    job.notify(sendCompleted);
  }

  private String batchPath(String batchId) {
    return "/hri/tenants/tenant1/batches/" + batchId;
  }

  @Test
  void completedBatchIsReportedWithProcessingCompleteAndTheLoopCloses() throws Exception {
    BatchNotification started = create("complete");
    for (int i = 0; i < 15; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    sendComplete(started, 15);

    List<Request> calls = api.awaitRequests("PUT", started.id() + "/action/processingComplete", 1, WAIT);
    Request call = calls.get(0);
    assertThat(call.path(), is(batchPath(started.id()) + "/action/processingComplete"));
    assertThat(call.body(), is("{\"actualRecordCount\":15,\"invalidRecordCount\":0}"));
    assertThat(call.header("authorization"), startsWith("Bearer token-"));
    assertThat(call.header("content-type"), startsWith("application/json"));
    assertThat(
        job.awaitNotifications(started.id(), n -> n.status() == BatchStatus.COMPLETED).stream()
            .map(BatchNotification::status).toList(),
        contains(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED));
    job.awaitExactly(job.topics.output(), started.id(), 15);
    // The completed notification coming back does not cause a second call.
    assertThat(api.requests("PUT", started.id() + "/action/processingComplete"), hasSize(1));
  }

  @Test
  void failedBatchIsReportedWithFailAndItsMessage() throws Exception {
    BatchNotification started = create("fail");
    for (int i = 0; i < 3; i++) {
      job.send(started.id(), "k" + i, i == 0 ? "Not-validJSON" : "{}");
    }
    job.awaitExactly(job.topics.output(), started.id(), 2);
    sendComplete(started, 2);

    Request call = api.awaitRequests("PUT", started.id() + "/action/fail", 1, WAIT).get(0);
    assertThat(call.body(), is("{\"actualRecordCount\":3,\"invalidRecordCount\":1,\"failureMessage\":\"Failing batch: "
        + started.id() + ", received too many records, actualRecordCount: 3 > expectedRecordCount: 2\"}"));
    job.awaitNotifications(started.id(), n -> n.status() == BatchStatus.FAILED);
  }

  @Test
  void aBatchOnlyTheApiKnowsIsLookedUpOnceAndItsRecordsAreValid() throws Exception {
    BatchNotification started = Batches.started(Batches.newId("lookup"), job.topics.input(), -1);
    api.putBatch(started.id(), new String(started.toJson(), StandardCharsets.UTF_8)); // nothing on the topic
    for (int i = 0; i < 10; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    job.awaitExactly(job.topics.output(), started.id(), 10);
    List<Request> lookups = api.requests("GET", batchPath(started.id()));
    assertThat(lookups, hasSize(1));
    assertThat(lookups.get(0).clientHeaderNames(), contains("authorization"));
    assertThat(lookups.get(0).header("authorization"), startsWith("Bearer token-"));
  }

  @Test
  void recordsOfABatchTheApiDoesNotKnowAreInvalid() {
    String unknown = Batches.newId("unknown");
    for (int i = 0; i < 15; i++) {
      job.send(unknown, "k" + i, "{}");
    }
    List<InvalidRecord> invalid = job.awaitInvalid(unknown, 15);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(), everyItem(is("Bad Message - Unknown batchId")));
  }

  @Test
  void serverErrorsAreRetriedUntilTheVerdictLands() throws Exception {
    BatchNotification started = create("retry");
    api.respondWith("PUT", started.id() + "/action/processingComplete", 503, 3);
    job.send(started.id(), "k", "{}");
    sendComplete(started, 1);

    api.awaitRequests("PUT", started.id() + "/action/processingComplete", 4, WAIT);
    job.awaitNotifications(started.id(), n -> n.status() == BatchStatus.COMPLETED);
    assertThat(api.requests("PUT", started.id() + "/action/processingComplete"), hasSize(4));
  }

  @Test
  void lookupsThatFailWithServerErrorsAreRetriedWithoutLosingRecords() {
    BatchNotification started = Batches.started(Batches.newId("flaky"), job.topics.input(), -1);
    api.putBatch(started.id(), new String(started.toJson(), StandardCharsets.UTF_8));
    api.respondWith("GET", batchPath(started.id()), 500, 3);
    for (int i = 0; i < 5; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    job.awaitExactly(job.topics.output(), started.id(), 5);
    assertThat(api.requests("GET", batchPath(started.id())), hasSize(4));
  }
}

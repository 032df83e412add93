package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.hri.pipeline.durable.DurableBundles;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.DeadLetter;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(TestPipelineExtension.class)
class UpdateBatchStatusTest {
  private static final String TENANT = "tenant1";
  private static final String BATCH_ID = "batch-42";
  private static final String PROCESSING_COMPLETE = "/action/processingComplete";
  private static final String FAIL = "/action/fail";
  private static final OffsetDateTime END = OffsetDateTime.of(2024, 3, 1, 13, 0, 0, 0, ZoneOffset.UTC);
  /** Fast retries that never give up within a test. */
  private static final RetryPolicy FAST =
      RetryPolicy.of(Duration.ofMillis(1), Duration.ofMillis(100), Duration.ofHours(1));

  private FakeManagementApi api;

  @BeforeEach
  void start() throws Exception {
    api = FakeManagementApi.start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private ManagementApiConfig config() {
    return ManagementApiClientTest.config(api);
  }

  private static BatchNotification batch(String id, BatchStatus status) {
    return new BatchNotification(
        id, "batch " + id, "integrator-1", "ingest.tenant1.claims.in", "claims", status,
        OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC), null, 15L, 15L, null, 5L, null, null, null);
  }

  private static BatchNotification completed(String id) {
    return batch(id, BatchStatus.SEND_COMPLETED).withVerdict(BatchStatus.COMPLETED, 10, 5, null, END);
  }

  private static BatchNotification failed(String id) {
    return batch(id, BatchStatus.SEND_COMPLETED).withVerdict(BatchStatus.FAILED, 10, 5, "Error message", END);
  }

  /** Stores the batch in the fake Management API, sendCompleted unless said otherwise. */
  private void store(String id, BatchStatus status) {
    api.putBatch(id, new String(batch(id, status).toJson(), StandardCharsets.UTF_8));
  }

  /** The verdicts first, held until durable, then one processing-time step per expected retry. */
  private static TestStream<BatchNotification> verdicts(int retrySteps, BatchNotification... verdicts) {
    TestStream.Builder<BatchNotification> events = TestStream.create(BatchNotificationCoder.of());
    for (BatchNotification verdict : verdicts) {
      events = events.addElements(verdict);
    }
    events = events.advanceProcessingTime(DurableBundles.RELEASE_PERIOD);
    for (int i = 0; i < retrySteps; i++) {
      events = events.advanceProcessingTime(org.joda.time.Duration.standardSeconds(1));
    }
    return events.advanceWatermarkToInfinity();
  }

  private static Throwable failureOf(Pipeline p) {
    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    return e.getCause();
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named("hri", name)).build());
    long sum = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }

  private static PipelineResult finished(TestPipeline p) {
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return result;
  }

  private static Create.Values<BatchNotification> created(BatchNotification... verdicts) {
    return Create.of(List.of(verdicts)).withCoder(BatchNotificationCoder.of());
  }

  /** What the sink applied of {@code verdicts}, retrying with {@code policy}. */
  private PCollection<BatchNotification> applied(PCollection<BatchNotification> verdicts, RetryPolicy policy) {
    return verdicts.apply(UpdateBatchStatus.to(config()).withRetryPolicy(policy)).get(UpdateBatchStatus.APPLIED);
  }

  // ---- success ----

  /** Applies {@code verdict} to batch BATCH_ID, stored as sendCompleted; the sink must pass it on. */
  private PipelineResult applyToSendCompletedBatch(TestPipeline p, BatchNotification verdict) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    PCollection<BatchNotification> applied = applied(p.apply(created(verdict)), FAST);
    PAssert.that(applied).containsInAnyOrder(verdict);
    PipelineResult result = finished(p);
    return result;
  }

  @Test
  void completedCallsProcessingCompleteOnce(TestPipeline p) {
    PipelineResult result = applyToSendCompletedBatch(p, completed(BATCH_ID));

    List<Request> puts = api.requests("PUT", "");
    assertThat(puts, hasSize(1));
    assertThat(
        puts.get(0).url(), is(api.baseUrl() + "/tenants/" + TENANT + "/batches/" + BATCH_ID + PROCESSING_COMPLETE));
    assertThat(puts.get(0).body(), is("{\"actualRecordCount\":10,\"invalidRecordCount\":5}"));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("completed"));
    assertThat(counter(result, "mgmt-api-calls"), is(1L));
    assertThat(counter(result, "batches-completed"), is(1L));
    assertThat(counter(result, "batches-failed"), is(0L));
  }

  @Test
  void failedCallsFailWithTheMessage(TestPipeline p) {
    PipelineResult result = applyToSendCompletedBatch(p, failed(BATCH_ID));

    List<Request> puts = api.requests("PUT", "");
    assertThat(puts, hasSize(1));
    assertThat(puts.get(0).url(), is(api.baseUrl() + "/tenants/" + TENANT + "/batches/" + BATCH_ID + FAIL));
    assertThat(
        puts.get(0).body(),
        is("{\"actualRecordCount\":10,\"invalidRecordCount\":5,\"failureMessage\":\"Error message\"}"));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("failed"));
    assertThat(counter(result, "batches-failed"), is(1L));
  }

  @Test
  void eachBatchGetsItsOwnCall(TestPipeline p) {
    store("b1", BatchStatus.SEND_COMPLETED);
    store("b2", BatchStatus.SEND_COMPLETED);
    PCollection<BatchNotification> applied = applied(p.apply(created(completed("b1"), failed("b2"))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed("b1"), failed("b2"));

    p.run().waitUntilFinish();

    assertThat(api.requests("PUT", "/b1" + PROCESSING_COMPLETE), hasSize(1));
    assertThat(api.requests("PUT", "/b2" + FAIL), hasSize(1));
    assertThat(api.requests("PUT", ""), hasSize(2));
  }

  @Test
  void deliveryTimesAreCountedInCumulativeBuckets(TestPipeline p) {
    store("now", BatchStatus.SEND_COMPLETED);
    store("old", BatchStatus.SEND_COMPLETED);
    BatchNotification justNow =
        batch("now", BatchStatus.SEND_COMPLETED)
            .withVerdict(BatchStatus.COMPLETED, 10, 5, null, OffsetDateTime.now(ZoneOffset.UTC));
    p.apply(created(justNow, completed("old")))
        .apply(UpdateBatchStatus.to(config()).withRetryPolicy(FAST));

    PipelineResult result = finished(p);

    assertThat(counter(result, "verdicts-delivered"), is(2L));
    assertThat(counter(result, "verdicts-delivered-within-1m"), is(1L)); // "old" ended in 2024
    assertThat(counter(result, "verdicts-delivered-within-10m"), is(1L));
  }

  // ---- retries ----

  @Test
  void serverErrorsAreRetriedUntilSuccess(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWith("PUT", PROCESSING_COMPLETE, 500, 4);
    PCollection<BatchNotification> applied = applied(p.apply(verdicts(6, completed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(5));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("completed"));
    assertThat(counter(result, "mgmt-api-calls"), is(5L));
    assertThat(counter(result, "mgmt-api-retries"), is(4L));
    assertThat(counter(result, "batches-completed"), is(1L));
  }

  @Test
  void givingUpDropsTheVerdictAndKeepsTheJobRunning(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.alwaysRespondWith("PUT", PROCESSING_COMPLETE, 500);
    // 1 ms doubling with an 8 ms limit: waits of 1, 2 and 4 ms, and the 4th failure gives up.
    RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(8));
    PCollectionTuple reported =
        p.apply(verdicts(10, completed(BATCH_ID))).apply(UpdateBatchStatus.to(config()).withRetryPolicy(policy));
    PAssert.that(reported.get(UpdateBatchStatus.APPLIED)).empty();
    PAssert.that(reported.get(UpdateBatchStatus.NOT_APPLIED)).containsInAnyOrder(
        DeadLetter.verdict(DeadLetter.Kind.VERDICT_GIVEN_UP, completed(BATCH_ID),
            "Reached max HRI Management API retry timeout of 8 milliseconds (Internal server error)"));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(4));
    assertThat(counter(result, "verdicts-given-up"), is(1L));
    assertThat(counter(result, "mgmt-api-failures"), is(4L));
  }

  @Test
  void transportErrorsAreRetriedToo(TestPipeline p) {
    // Nothing listens on the API port (the token endpoint does answer): every call is a ConnectException.
    ManagementApiConfig unreachable = config().toBuilder().baseUrl("http://127.0.0.1:1/hri").build();
    RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(3));
    p.apply(verdicts(10, completed(BATCH_ID))).apply(UpdateBatchStatus.to(unreachable).withRetryPolicy(policy));

    PipelineResult result = finished(p);

    // waits of 1 and 2 ms, and the 3rd failure gives up
    assertThat(counter(result, "mgmt-api-calls"), is(3L));
    assertThat(counter(result, "verdicts-given-up"), is(1L));
  }

  @Test
  void theSameVerdictWhilePendingMakesNoSecondCall(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWith("PUT", PROCESSING_COMPLETE, 503, 1);
    PCollection<BatchNotification> applied =
        applied(p.apply(verdicts(3, completed(BATCH_ID), completed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    p.run().waitUntilFinish();

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(2)); // the first try and one retry
  }

  @Test
  void aNewerVerdictReplacesThePendingOne(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWith("PUT", PROCESSING_COMPLETE, 503, 1);
    PCollection<BatchNotification> applied = applied(p.apply(verdicts(3, completed(BATCH_ID), failed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(failed(BATCH_ID));

    p.run().waitUntilFinish();

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(1));
    assertThat(api.requests("PUT", FAIL), hasSize(1));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("failed"));
  }

  @Test
  void aPendingRetryGetsOneLastTryWhenTheInputEnds(TestPipeline p) {
    // A bounded input (or a drain) ends before any processing-time retry fires.
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWith("PUT", PROCESSING_COMPLETE, 500, 1);
    PCollection<BatchNotification> applied = applied(p.apply(created(completed(BATCH_ID))), RetryPolicy.defaults());
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    p.run().waitUntilFinish();

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(2));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("completed"));
  }

  @Test
  void aVerdictStillFailingWhenTheInputEndsIsDropped(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.alwaysRespondWith("PUT", PROCESSING_COMPLETE, 503);
    PCollectionTuple reported =
        p.apply(created(completed(BATCH_ID)))
            .apply(UpdateBatchStatus.to(config()).withRetryPolicy(RetryPolicy.defaults()));
    PAssert.that(reported.get(UpdateBatchStatus.APPLIED)).empty();
    PAssert.that(reported.get(UpdateBatchStatus.NOT_APPLIED)).containsInAnyOrder(
        DeadLetter.verdict(DeadLetter.Kind.VERDICT_UNSENT, completed(BATCH_ID),
            "The input ended before the HRI Management API accepted the verdict (Service unavailable)"));

    p.run().waitUntilFinish(); // a dead letter, not a failed job

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(2));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("sendCompleted"));
  }

  // ---- 4xx ----

  @Test
  void aConflictMeansAlreadyDone(TestPipeline p) {
    store(BATCH_ID, BatchStatus.COMPLETED); // processingComplete answers 409
    PCollection<BatchNotification> applied = applied(p.apply(created(completed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(1));
    assertThat(counter(result, "mgmt-api-conflicts"), is(1L));
    assertThat(counter(result, "batches-completed"), is(0L));
  }

  @Test
  void failingATerminatedBatchIsAConflictToo(TestPipeline p) {
    store(BATCH_ID, BatchStatus.TERMINATED);
    PCollection<BatchNotification> applied = applied(p.apply(created(failed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(failed(BATCH_ID));

    p.run().waitUntilFinish();

    assertThat(api.requests("PUT", FAIL), hasSize(1));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("terminated"));
  }

  @ParameterizedTest
  @CsvSource({"400, Bad request", "404, Not found", "410, Gone", "414, URI too long", "422, Unprocessable"})
  void anAnswerAboutTheBatchGivesItsVerdictUpAtOnceAndTheJobGoesOn(int status, String description, TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    store("other", BatchStatus.SEND_COMPLETED);
    api.respondWith("PUT", BATCH_ID + "/action/processingComplete", status, 1, description);
    PCollectionTuple reported =
        p.apply(verdicts(3, completed(BATCH_ID), completed("other")))
            .apply(UpdateBatchStatus.to(config()).withRetryPolicy(FAST));
    PAssert.that(reported.get(UpdateBatchStatus.APPLIED)).containsInAnyOrder(completed("other"));
    PAssert.that(reported.get(UpdateBatchStatus.NOT_APPLIED)).containsInAnyOrder(
        DeadLetter.verdict(DeadLetter.Kind.VERDICT_REJECTED, completed(BATCH_ID),
            "The HRI Management API rejected the verdict: HTTP " + status + " (" + description + ")"));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", BATCH_ID + "/action/processingComplete"), hasSize(1));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("sendCompleted"));
    assertThat(api.batchStatus("other").orElseThrow(), is("completed"));
    assertThat(counter(result, "verdicts-rejected"), is(1L));
    assertThat(counter(result, "mgmt-api-failures"), is(0L));
  }

  @ParameterizedTest
  @CsvSource({"401, 2", "403, 2", "408, 1", "429, 1"})
  void streamWideClientErrorsAreRetried(int status, int answers, TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    // 401 and 403 are repeated once with a new token before they count: the first retry needs two.
    api.respondWith("PUT", PROCESSING_COMPLETE, status, answers);
    PCollection<BatchNotification> applied = applied(p.apply(verdicts(3, completed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(answers + 1));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("completed"));
    assertThat(counter(result, "mgmt-api-retries"), is(1L));
  }

  @Test
  void aRateLimitIsHonouredWithRetryAfter(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWithRetryAfter("PUT", PROCESSING_COMPLETE, 429, 1, "3");
    // With a 1 ms backoff the retry would fire at the first 1 s step; Retry-After holds it past both, so the
    // verdict goes out with the one last try made when the input ends.
    RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(1), Duration.ofSeconds(10), Duration.ofHours(1));
    PCollection<BatchNotification> applied = applied(p.apply(verdicts(2, completed(BATCH_ID))), policy);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    PipelineResult result = finished(p);

    assertThat(counter(result, "mgmt-api-retries"), is(0L));
    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(2));
  }

  @Test
  void aTokenRejectionIsRetried(TestPipeline p) {
    store(BATCH_ID, BatchStatus.SEND_COMPLETED);
    api.respondWith("POST", "/token", 401, 1);
    PCollection<BatchNotification> applied = applied(p.apply(verdicts(3, completed(BATCH_ID))), FAST);
    PAssert.that(applied).containsInAnyOrder(completed(BATCH_ID));

    PipelineResult result = finished(p);

    assertThat(api.requests("PUT", PROCESSING_COMPLETE), hasSize(1));
    assertThat(counter(result, "mgmt-api-failures"), is(1L));
  }

  // ---- bad input and setup ----

  @ParameterizedTest
  @EnumSource(names = {"STARTED", "SEND_COMPLETED", "TERMINATED"})
  void anyOtherStatusFailsTheJob(BatchStatus status, TestPipeline p) {
    p.apply(created(batch(BATCH_ID, status)))
        .apply(UpdateBatchStatus.to(config()).withRetryPolicy(FAST));

    Throwable failure = failureOf(p);

    assertThat(failure.getMessage(), startsWith("Received unexpected status"));
    assertThat(failure.getMessage(), containsString(status.name()));
    assertThat(
        failure.getMessage(), is("Received unexpected status: '" + status.name() + "' for batch: '" + BATCH_ID + "'"));
    assertThat(api.requests(), hasSize(0));
  }

  @Test
  void aBadTrustStoreFailsTheJob(TestPipeline p) {
    Map<String, String> env = Map.of("HRI_TRUSTSTORE", "/no/such/truststore.jks", "HRI_TRUSTSTORE_PASSWORD", "x");
    p.apply(created(completed(BATCH_ID)))
        .apply(
            UpdateBatchStatus.to(config())
                .withClientFactory(config -> ManagementApiClient.create(config, env)));

    // The DirectRunner throws @Setup failures from run() itself, not as a PipelineExecutionException.
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());

    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.add(t);
    }
    assertThat(chain, hasItem(instanceOf(FileNotFoundException.class)));
    assertThat(
        chain,
        hasItem(
            org.hamcrest.Matchers.<Throwable>hasProperty(
                "message", startsWith("Cannot create the HRI Management API client"))));
    assertThat(api.requests(), hasSize(0));
  }
}

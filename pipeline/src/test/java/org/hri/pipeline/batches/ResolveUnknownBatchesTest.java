package org.hri.pipeline.batches;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.hri.testing.FakeManagementApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records the side input missed are held, looked up and retried on processing-time timers. */
class ResolveUnknownBatchesTest {
  private static final Duration TTL = Duration.ofDays(7);
  private final TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
  private FakeManagementApi api;

  @BeforeEach
  void startApi() throws Exception {
    api = FakeManagementApi.start();
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @Test
  void standaloneHoldsRecordsUntilTheirNotificationAndTimesOutUnknownOnes() {
    TestStream<KV<String, ResolverInput>> events =
        stream()
            .addElements(record("early", 1), record("early", 2), record("nobody", 3))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(30))
            .addElements(status("early", BatchStatus.STARTED))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(31))
            .addElements(record("early", 4))
            .advanceWatermarkToInfinity();

    PCollection<ResolvedRecord> resolved = resolve(events, UnknownBatchPolicy.hold(Duration.ofMinutes(1), TTL));

    PAssert.that(resolved)
        .containsInAnyOrder(
            resolved("early", 1, BatchStatus.STARTED),
            resolved("early", 2, BatchStatus.STARTED),
            resolved("nobody", 3, null),
            resolved("early", 4, BatchStatus.STARTED));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void lookupResolvesOncePerBatchAndTreats404AsUnknown() {
    api.putBatch("known", batchJson("known", "sendCompleted"));
    TestStream<KV<String, ResolverInput>> events =
        stream()
            .addElements(record("known", 1), record("missing", 2))
            .addElements(record("known", 3))
            .advanceWatermarkToInfinity();

    PCollection<ResolvedRecord> resolved = resolve(events, lookup(RetryPolicy.defaults()));

    PAssert.that(resolved)
        .containsInAnyOrder(
            resolved("known", 1, BatchStatus.SEND_COMPLETED),
            resolved("known", 3, BatchStatus.SEND_COMPLETED),
            resolved("missing", 2, null));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/known"), hasSize(1));
    assertThat(api.requests("GET", "/batches/missing"), hasSize(1));
  }

  @Test
  void serverErrorsAreRetriedOnTimersUntilTheLookupSucceeds() {
    api.putBatch("flaky", batchJson("flaky", "started"));
    api.respondWith("GET", "/batches/flaky", 500, 4);
    TestStream.Builder<KV<String, ResolverInput>> events =
        stream()
            .addElements(record("flaky", 1))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(1))
            .addElements(record("flaky", 2))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(2));
    // A timer set while a timer fires is due from the test clock at that moment, so give it ample steps.
    for (int step = 0; step < 12; step++) {
      events = events.advanceProcessingTime(org.joda.time.Duration.standardSeconds(3));
    }

    RetryPolicy policy = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(30));
    PCollection<ResolvedRecord> resolved = resolve(events.advanceWatermarkToInfinity(), lookup(policy));

    PAssert.that(resolved)
        .containsInAnyOrder(resolved("flaky", 1, BatchStatus.STARTED), resolved("flaky", 2, BatchStatus.STARTED));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/flaky"), hasSize(5));
  }

  @Test
  void givesUpAfterTheRetryTimeoutWithAShortenedClock() {
    api.alwaysRespondWith("GET", "/batches/down", 503);
    TestStream.Builder<KV<String, ResolverInput>> builder = stream().addElements(record("down", 1));
    // The 24-hour give-up on a clock the test drives: backoff from 1 minute doubling to 1 hour, so about 30
    // retries; each test-clock step fires at most one.
    for (int step = 0; step < 80; step++) {
      builder = builder.advanceProcessingTime(org.joda.time.Duration.standardHours(1));
    }
    resolve(
        builder.advanceWatermarkToInfinity(),
        lookup(RetryPolicy.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(24))));

    PipelineExecutionException failure =
        assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(failure.getCause(), instanceOf(IllegalStateException.class));
    assertThat(failure.getCause().getMessage(), containsString("Reached max HRI Management API retry timeout of 24 hours"));
  }

  @Test
  void clientErrorsOtherThan404FailTheJob() {
    api.respondWith("GET", "/batches/secret", 401, 1, "Unauthorized");
    resolve(stream().addElements(record("secret", 1)).advanceWatermarkToInfinity(), lookup(RetryPolicy.defaults()));

    PipelineExecutionException failure =
        assertThrows(PipelineExecutionException.class, () -> pipeline.run().waitUntilFinish());
    assertThat(failure.getCause().getMessage(), containsString("Call to HRI Management API failed: Unauthorized."));
  }

  private UnknownBatchPolicy lookup(RetryPolicy retry) {
    return UnknownBatchPolicy.lookup(
        ManagementApiConfig.builder()
            .baseUrl(api.baseUrl())
            .oauthUrl(api.oauthUrl())
            .clientId("job")
            .clientSecret("secret")
            .audience("hri")
            .tenantId("t1")
            .build(),
        retry,
        TTL);
  }

  private PCollection<ResolvedRecord> resolve(TestStream<KV<String, ResolverInput>> stream, UnknownBatchPolicy policy) {
    PCollection<KV<String, ResolverInput>> events = pipeline.apply(stream);
    PCollection<KV<String, HriRecord>> records =
        events.apply("Records", ParDo.of(new RecordsFn())).setCoder(KvCoder.of(StringUtf8Coder.of(), HriRecordCoder.of()));
    PCollection<BatchNotification> notifications =
        events.apply("Notifications", ParDo.of(new NotificationsFn())).setCoder(BatchNotificationCoder.of());
    return records.apply(ResolveUnknownBatches.using(notifications, policy));
  }

  private static TestStream.Builder<KV<String, ResolverInput>> stream() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), new ResolverInput.Coder()));
  }

  private static KV<String, ResolverInput> record(String batchId, long offset) {
    return KV.of(batchId, ResolverInput.of(hriRecord(batchId, offset)));
  }

  private static KV<String, ResolverInput> status(String batchId, BatchStatus status) {
    return KV.of(batchId, ResolverInput.of(status));
  }

  private static HriRecord hriRecord(String batchId, long offset) {
    return new HriRecord(
        List.of(new HriHeader("batchId", batchId.getBytes(StandardCharsets.UTF_8))),
        null, "{}".getBytes(StandardCharsets.UTF_8), "ingest.t1.di.in", 0, offset);
  }

  private static ResolvedRecord resolved(String batchId, long offset, BatchStatus status) {
    return new ResolvedRecord(hriRecord(batchId, offset), status);
  }

  private static String batchJson(String id, String status) {
    return "{\"id\":\"" + id + "\",\"name\":\"b\",\"integratorId\":\"di\",\"topic\":\"ingest.t1.di.in\","
        + "\"dataType\":\"claims\",\"status\":\"" + status + "\",\"startDate\":\"2026-11-22T01:00:00Z\","
        + "\"invalidThreshold\":-1}";
  }

  static final class RecordsFn extends DoFn<KV<String, ResolverInput>, KV<String, HriRecord>> {
    @ProcessElement
    public void process(@Element KV<String, ResolverInput> event, OutputReceiver<KV<String, HriRecord>> out) {
      if (event.getValue().record() != null) {
        out.output(KV.of(event.getKey(), event.getValue().record()));
      }
    }
  }

  static final class NotificationsFn extends DoFn<KV<String, ResolverInput>, BatchNotification> {
    @ProcessElement
    public void process(@Element KV<String, ResolverInput> event, OutputReceiver<BatchNotification> out) {
      if (event.getValue().status() != null) {
        out.output(
            new BatchNotification(
                event.getKey(), "b", "di", "ingest.t1.di.in", "claims", event.getValue().status(), null, null,
                null, null, null, null, null, null, null));
      }
    }
  }
}

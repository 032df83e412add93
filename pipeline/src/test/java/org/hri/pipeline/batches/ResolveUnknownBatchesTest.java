package org.hri.pipeline.batches;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;
import org.hri.pipeline.model.BatchEvent;
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
    TestStream<KV<String, BatchEvent>> events =
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
    TestStream<KV<String, BatchEvent>> events =
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
    TestStream.Builder<KV<String, BatchEvent>> events =
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
  void givingUpAfterTheRetryTimeoutQuarantinesTheBatchInsteadOfFailingTheJob() {
    api.alwaysRespondWith("GET", "/batches/down", 503);
    api.putBatch("up", batchJson("up", "started"));
    TestStream.Builder<KV<String, BatchEvent>> builder = stream().addElements(record("down", 1));
    // The 24-hour give-up on a clock the test drives: backoff from 1 minute doubling to 1 hour, so about 30
    // retries; each test-clock step fires at most one.
    for (int step = 0; step < 80; step++) {
      builder = builder.advanceProcessingTime(org.joda.time.Duration.standardHours(1));
    }
    builder = builder.addElements(record("down", 2), record("up", 3));
    PCollection<ResolvedRecord> resolved =
        resolve(
            builder.advanceWatermarkToInfinity(),
            lookup(RetryPolicy.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(24))));

    String givenUp = "Bad Message - Reached max HRI Management API retry timeout of 24 hours";
    PAssert.that(resolved)
        .containsInAnyOrder(rejected("down", 1, givenUp), rejected("down", 2, givenUp),
            resolved("up", 3, BatchStatus.STARTED));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/down"), hasSize(29)); // 28 backoffs fit in 24 hours
  }

  @Test
  void aClientErrorAboutTheBatchQuarantinesThatBatchOnlyAndIsNotRetried() {
    api.alwaysRespondWith("GET", "/batches/bad", 400);
    api.alwaysRespondWith("GET", "/batches/long", 414);
    api.putBatch("good", batchJson("good", "started"));
    TestStream.Builder<KV<String, BatchEvent>> events =
        stream()
            .addElements(record("bad", 1), record("long", 2), record("good", 3))
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(10))
            .addElements(record("bad", 4), record("long", 5));

    PCollection<ResolvedRecord> resolved =
        resolve(events.advanceWatermarkToInfinity(), lookup(RetryPolicy.defaults()));

    PAssert.that(resolved)
        .containsInAnyOrder(
            rejected("bad", 1, "Bad Message - HRI Management API rejected the batch: HTTP 400"),
            rejected("long", 2, "Bad Message - HRI Management API rejected the batch: HTTP 414"),
            resolved("good", 3, BatchStatus.STARTED),
            rejected("bad", 4, "Bad Message - HRI Management API rejected the batch: HTTP 400"),
            rejected("long", 5, "Bad Message - HRI Management API rejected the batch: HTTP 414"));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/bad"), hasSize(1));
    assertThat(api.requests("GET", "/batches/long"), hasSize(1));
  }

  @Test
  void unauthorizedAndRateLimitedLookupsWaitAndRetryWithAFreshToken() {
    api.putBatch("slow", batchJson("slow", "sendCompleted"));
    api.respondWith("GET", "/batches/slow", 401, 2); // the call and its repeat with a new token
    api.respondWithRetryAfter("GET", "/batches/slow", 429, 1, "2");
    api.respondWith("GET", "/batches/slow", 403, 2);
    TestStream.Builder<KV<String, BatchEvent>> events = stream().addElements(record("slow", 1));
    for (int step = 0; step < 10; step++) {
      events = events.advanceProcessingTime(org.joda.time.Duration.standardSeconds(5));
    }

    PCollection<ResolvedRecord> resolved =
        resolve(
            events.advanceWatermarkToInfinity(),
            lookup(RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(5))));

    PAssert.that(resolved).containsInAnyOrder(resolved("slow", 1, BatchStatus.SEND_COMPLETED));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/slow"), hasSize(6));
    assertThat(api.tokensIssued(), is(5)); // one, then a new one after each 401 and 403
  }

  @Test
  void aBatchOfAnotherStreamHasItsRecordsInvalid() {
    api.putBatch("elsewhere", batchJson("elsewhere", "started").replace("ingest.t1.di.in", "ingest.t1.other.in"));
    PCollection<ResolvedRecord> resolved =
        resolve(
            stream().addElements(record("elsewhere", 1)).addElements(record("elsewhere", 2))
                .advanceWatermarkToInfinity(),
            lookup(RetryPolicy.defaults()));

    PAssert.that(resolved)
        .containsInAnyOrder(
            rejected("elsewhere", 1, "Bad Message - batch belongs to another stream"),
            rejected("elsewhere", 2, "Bad Message - batch belongs to another stream"));
    pipeline.run().waitUntilFinish();
    assertThat(api.requests("GET", "/batches/elsewhere"), hasSize(1));
  }

  @Test
  void recordsStillHeldWhenTheBatchStateExpiresAreInvalid() {
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(record("late", 1), record("late", 2))
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(2))
            .advanceWatermarkToInfinity();

    PCollection<ResolvedRecord> resolved =
        resolve(events, UnknownBatchPolicy.hold(Duration.ofMinutes(10), Duration.ofMinutes(1)));

    PAssert.that(resolved)
        .containsInAnyOrder(
            rejected("late", 1, ResolveUnknownBatchesFn.EXPIRED), rejected("late", 2, ResolveUnknownBatchesFn.EXPIRED));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theScheduledTimerIsKeptInStateAsItWas() throws Exception {
    var coder = ResolverTimer.CODER;
    CoderProperties.coderDecodeEncodeEqual(coder, new ResolverTimer.HoldTimeout());
    CoderProperties.coderDecodeEncodeEqual(coder, new ResolverTimer.LookupRetry(1, Duration.ZERO));
    CoderProperties.coderDecodeEncodeEqual(coder, new ResolverTimer.LookupRetry(30, Duration.ofHours(23)));
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
        TTL,
        "ingest.t1.di.in");
  }

  private PCollection<ResolvedRecord> resolve(TestStream<KV<String, BatchEvent>> stream, UnknownBatchPolicy policy) {
    PCollection<KV<String, BatchEvent>> events = pipeline.apply(stream);
    PCollection<KV<String, HriRecord>> records =
        events.apply("Records", ParDo.of(new RecordsFn())).setCoder(KvCoder.of(StringUtf8Coder.of(), HriRecordCoder.of()));
    PCollection<BatchNotification> notifications =
        events.apply("Notifications", ParDo.of(new NotificationsFn())).setCoder(BatchNotificationCoder.of());
    return records.apply(ResolveUnknownBatches.using(notifications, policy));
  }

  private static TestStream.Builder<KV<String, BatchEvent>> stream() {
    return TestStream.create(BatchEvent.keyedCoder());
  }

  private static KV<String, BatchEvent> record(String batchId, long offset) {
    return KV.of(batchId, new BatchEvent.Unresolved(hriRecord(batchId, offset)));
  }

  private static KV<String, BatchEvent> status(String batchId, BatchStatus status) {
    return KV.of(
        batchId,
        new BatchEvent.Notified(
            new BatchNotification(
                batchId, "b", "di", "ingest.t1.di.in", "claims", status, null, null, null, null, null, null, null,
                null, null)));
  }

  private static HriRecord hriRecord(String batchId, long offset) {
    return new HriRecord(
        List.of(new HriHeader("batchId", batchId.getBytes(StandardCharsets.UTF_8))),
        null, "{}".getBytes(StandardCharsets.UTF_8), "ingest.t1.di.in", 0, offset);
  }

  private static ResolvedRecord resolved(String batchId, long offset, BatchStatus status) {
    return ResolvedRecord.withStatus(hriRecord(batchId, offset), status);
  }

  private static ResolvedRecord rejected(String batchId, long offset, String failure) {
    return ResolvedRecord.rejected(hriRecord(batchId, offset), failure);
  }

  private static String batchJson(String id, String status) {
    return "{\"id\":\"" + id + "\",\"name\":\"b\",\"integratorId\":\"di\",\"topic\":\"ingest.t1.di.in\","
        + "\"dataType\":\"claims\",\"status\":\"" + status + "\",\"startDate\":\"2026-11-22T01:00:00Z\","
        + "\"invalidThreshold\":-1}";
  }

  static final class RecordsFn extends DoFn<KV<String, BatchEvent>, KV<String, HriRecord>> {
    @ProcessElement
    public void process(@Element KV<String, BatchEvent> event, OutputReceiver<KV<String, HriRecord>> out) {
      if (event.getValue() instanceof BatchEvent.Unresolved unresolved) {
        out.output(KV.of(event.getKey(), unresolved.record()));
      }
    }
  }

  static final class NotificationsFn extends DoFn<KV<String, BatchEvent>, BatchNotification> {
    @ProcessElement
    public void process(@Element KV<String, BatchEvent> event, OutputReceiver<BatchNotification> out) {
      if (event.getValue() instanceof BatchEvent.Notified notified) {
        out.output(notified.notification());
      }
    }
  }
}

package org.hri.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.validation.RecordValidator;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The whole job without its Kafka edges: records and notifications from {@code TestStream}s, processing time
 * moved by hand, exact outputs. No broker, no quiet periods.
 */
class ProcessBatchesTest {
  private static final String TOPIC = "ingest.t1.di.in";
  private static final Duration DELAY = Duration.ofMinutes(5);
  private static final Duration UNKNOWN_BATCH_TIMEOUT = Duration.ofMinutes(1);
  private static final Instant START = new Instant(0);

  private final TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);

  private static org.joda.time.Duration seconds(long seconds) {
    return org.joda.time.Duration.standardSeconds(seconds);
  }

  private BatchResults process(TestStream<HriRecord> records, TestStream<BatchNotification> notifications) {
    return PCollectionTuple.of(ProcessBatches.RECORDS, pipeline.apply("Records", records))
        .and(ProcessBatches.NOTIFICATIONS, pipeline.apply("Notifications", notifications))
        .apply(
            ProcessBatches.using(ValidateRecords.using(new BodyValidator()))
                .withUnknownBatches(UnknownBatchPolicy.hold(UNKNOWN_BATCH_TIMEOUT, Duration.ofDays(7)))
                .withCompletionDelay(DELAY));
  }

  @Test
  void validatesRoutesAndJudgesEveryBatch() {
    TestStream<BatchNotification> notifications =
        TestStream.create(BatchNotificationCoder.of())
            .advanceWatermarkTo(START)
            .addElements(
                started("good", BatchNotification.NO_THRESHOLD), started("strict", 2), started("long", 5))
            .advanceProcessingTime(seconds(1)) // the batch statuses reach validation
            .advanceProcessingTime(seconds(2)) // the records go through
            .addElements(sendCompleted("good", 3), sendCompleted("long", 1))
            .advanceProcessingTime(seconds(DELAY.toSeconds() + 1))
            .advanceProcessingTime(seconds(UNKNOWN_BATCH_TIMEOUT.toSeconds()))
            .advanceWatermarkToInfinity();
    TestStream<HriRecord> records =
        TestStream.create(HriRecordCoder.of())
            .advanceWatermarkTo(START)
            .advanceProcessingTime(seconds(2))
            .addElements(
                record("good", 1, "ok"), record("good", 2, "ok"), record("good", 3, "bad"),
                record("strict", 4, "bad"), record("strict", 5, "ok"), record("strict", 6, "bad"),
                record("long", 7, "ok"), record("long", 8, "ok"),
                record(null, 9, "ok"), record("nobody-knows", 10, "ok"))
            .advanceWatermarkToInfinity();

    BatchResults results = process(records, notifications);

    PAssert.that(results.valid())
        .containsInAnyOrder(
            record("good", 1, "ok"), record("good", 2, "ok"), record("strict", 5, "ok"), record("long", 7, "ok"),
            record("long", 8, "ok"));
    PAssert.that(results.invalid())
        .containsInAnyOrder(
            new InvalidRecord("good", TOPIC, 0, 3, "body is bad"),
            new InvalidRecord("strict", TOPIC, 0, 4, "body is bad"),
            new InvalidRecord("strict", TOPIC, 0, 6, "body is bad"),
            new InvalidRecord(null, TOPIC, 0, 9, "Bad Message - No header or batchId node"),
            new InvalidRecord("nobody-knows", TOPIC, 0, 10, "Bad Message - Unknown batchId"));
    PAssert.that(verdictSummaries(results))
        .containsInAnyOrder(
            "good completed actual=3 invalid=1 failure=null",
            "strict failed actual=3 invalid=2 failure=Failing Batch: strict, too many invalid records"
                + " invalidCount: 2 >= invalidThreshold: 2",
            "long failed actual=2 invalid=0 failure=Failing batch: long, received too many records,"
                + " actualRecordCount: 2 > expectedRecordCount: 1");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // Records may wait for the side input too; every held record is released, the unknown batch's one too.
    long held = counter(result, "records-held-for-batch-status");
    assertThat(held, is(greaterThanOrEqualTo(1L)));
    assertThat(counter(result, "held-records-released"), is(held));
    // The verdicts go to the Management API or *.notification; none has come back as a notification here.
    assertThat(gauge(result, "batches-open"), is(3L));
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named("hri", name)).build());
    long sum = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }

  private static long gauge(PipelineResult result, String name) {
    MetricQueryResults metrics =
        result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named("hri", name)).build());
    return metrics.getGauges().iterator().next().getAttempted().getValue();
  }

  @Test
  void aBatchStartedAfterItsRecordsStillGetsThemAll() {
    TestStream<BatchNotification> notifications =
        TestStream.create(BatchNotificationCoder.of())
            .advanceWatermarkTo(START)
            .advanceProcessingTime(seconds(5)) // the records arrive first and are held
            .addElements(started("late", BatchNotification.NO_THRESHOLD))
            .advanceProcessingTime(seconds(1))
            .addElements(sendCompleted("late", 2))
            .advanceProcessingTime(seconds(DELAY.toSeconds() + 1))
            .advanceWatermarkToInfinity();
    TestStream<HriRecord> records =
        TestStream.create(HriRecordCoder.of())
            .advanceWatermarkTo(START)
            .addElements(record("late", 1, "ok"), record("late", 2, "bad"))
            .advanceWatermarkToInfinity();

    BatchResults results = process(records, notifications);

    PAssert.that(results.valid()).containsInAnyOrder(record("late", 1, "ok"));
    PAssert.that(results.invalid()).containsInAnyOrder(new InvalidRecord("late", TOPIC, 0, 2, "body is bad"));
    PAssert.that(verdictSummaries(results)).containsInAnyOrder("late completed actual=2 invalid=1 failure=null");
    pipeline.run().waitUntilFinish();
  }

  private static PCollection<String> verdictSummaries(BatchResults results) {
    return results
        .verdicts()
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(v -> v.id() + " " + v.status().json() + " actual=" + v.actualRecordCount() + " invalid="
                    + v.invalidRecordCount() + " failure=" + v.failureMessage()));
  }

  private static BatchNotification started(String id, long invalidThreshold) {
    return new BatchNotification(
        id, id, "di", TOPIC, "claims", BatchStatus.STARTED, null, null, null, null, null, invalidThreshold, null,
        null, null);
  }

  private static BatchNotification sendCompleted(String id, long expected) {
    return new BatchNotification(
        id, id, "di", TOPIC, "claims", BatchStatus.SEND_COMPLETED, null, null, null, expected, null,
        BatchNotification.NO_THRESHOLD, null, null, null);
  }

  private static HriRecord record(String batchId, long offset, String body) {
    List<HriHeader> headers =
        batchId == null ? List.of() : List.of(new HriHeader("batchId", batchId.getBytes(StandardCharsets.UTF_8)));
    return new HriRecord(headers, null, body.getBytes(StandardCharsets.UTF_8), TOPIC, 0, offset);
  }

  /** "ok" is valid, anything else invalid. */
  private static final class BodyValidator implements RecordValidator {
    @Override
    public ValidationResult validate(HriRecord record) {
      return record.valueAsString().equals("ok")
          ? ValidationResult.valid()
          : ValidationResult.invalid("body is " + record.valueAsString());
    }
  }
}

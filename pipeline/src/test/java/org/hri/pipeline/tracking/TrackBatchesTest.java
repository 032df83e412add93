package org.hri.pipeline.tracking;

import static org.hri.pipeline.tracking.BatchProgressTest.THRESHOLD;
import static org.hri.pipeline.tracking.BatchProgressTest.notification;
import static org.hri.pipeline.tracking.BatchProgressTest.thresholdMessage;
import static org.hri.pipeline.tracking.BatchProgressTest.tooManyMessage;
import static org.hri.pipeline.tracking.BatchProgressTest.verdict;

import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchEvent;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TrackBatches} on the DirectRunner, driven by a TestStream with processing-time advances.
 *
 * <p>On the DirectRunner, processing time is the TestStream's clock: it moves only with
 * {@code advanceProcessingTime}, and a processing-time timer that is still pending when the stream ends (watermark
 * to infinity) is dropped, not fired. The tests do not rely on that alone: each one that expects no verdict from a
 * timer also shows the timer firing once enough time has passed (control batch or parameter), and each one that
 * expects a verdict from a timer sends a later record that would change the verdict had the timer not fired
 * during the advance.
 */
@ExtendWith(TestPipelineExtension.class)
class TrackBatchesTest {
  private static final String A = "7902";
  private static final String B = "secondBatch";
  private static final Duration DELAY = Duration.ofMinutes(5);
  private static final org.joda.time.Duration ONE_SECOND = org.joda.time.Duration.standardSeconds(1);

  private static org.joda.time.Duration minutes(long minutes) {
    return org.joda.time.Duration.standardMinutes(minutes);
  }

  private static TestStream.Builder<KV<String, BatchEvent>> stream() {
    return TestStream.create(BatchEvent.keyedCoder());
  }

  private static KV<String, BatchEvent> counts(String batchId, long valid, long invalid) {
    return KV.of(batchId, new BatchEvent.Counted(new BatchCounts(valid, invalid)));
  }

  private static KV<String, BatchEvent> event(BatchNotification notification) {
    return KV.of(notification.id(), new BatchEvent.Notified(notification));
  }

  private static BatchNotification started(String id) {
    return notification(id, BatchStatus.STARTED, null, THRESHOLD);
  }

  private static BatchNotification sendCompleted(String id, long expected) {
    return notification(id, BatchStatus.SEND_COMPLETED, expected, THRESHOLD);
  }

  private static PCollection<BatchNotification> track(
      TestPipeline p, TestStream<KV<String, BatchEvent>> events, TrackBatches tracker) {
    return p.apply(events).apply(tracker);
  }

  private static PCollection<BatchNotification> track(TestPipeline p, TestStream<KV<String, BatchEvent>> events) {
    return track(p, events, TrackBatches.withCompletionDelay(DELAY));
  }

  @Test
  void completesOnlyAfterTheDelay(TestPipeline p) {
    BatchNotification sendCompletedA = sendCompleted(A, 3);
    BatchNotification sendCompletedB = sendCompleted(B, 3);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(sendCompletedA), event(sendCompletedB))
            .advanceProcessingTime(ONE_SECOND)
            // Both batches reach their expected count at t=1s: completion is due at 5m01s.
            .addElements(counts(A, 2, 0), counts(A, 0, 1), counts(B, 2, 0), counts(B, 0, 1))
            .advanceProcessingTime(minutes(4))
            // t=4m01s: B has not completed yet, so an extra record fails it.
            .addElements(counts(B, 1, 0))
            .advanceProcessingTime(minutes(2))
            // t=6m01s: A completed during the advance, so this extra record is ignored; had the timer not fired
            // yet, it would fail A.
            .addElements(counts(A, 1, 0))
            .advanceProcessingTime(minutes(10))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events))
        .containsInAnyOrder(
            verdict(sendCompletedA, BatchStatus.COMPLETED, 3, 1, null),
            verdict(sendCompletedB, BatchStatus.FAILED, 4, 1, tooManyMessage(4, 3).replace("7902", B)));
    p.run().waitUntilFinish();
  }

  /**
   * B reaches its count 2 minutes after A, then the clock moves by {@code lastAdvance} minutes and the stream
   * ends. With 4 minutes, A's delay has passed (6 > 5) and B's has not (4 < 5): B's pending timer is dropped at
   * the end of the stream and B gets no verdict. With 6 minutes both complete, which shows that B's absence
   * comes from the delay and not from a timer that never works.
   */
  @ParameterizedTest(name = "last advance {0} min")
  @ValueSource(ints = {4, 6})
  void nothingIsEmittedWhenTheStreamEndsBeforeTheDelay(int lastAdvance, TestPipeline p) {
    BatchNotification sendCompletedA = sendCompleted(A, 2);
    BatchNotification sendCompletedB = sendCompleted(B, 2);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(sendCompletedA), counts(A, 2, 0))
            .advanceProcessingTime(minutes(2))
            .addElements(event(sendCompletedB), counts(B, 1, 1))
            .advanceProcessingTime(minutes(lastAdvance))
            .advanceWatermarkToInfinity();

    BatchNotification completedA = verdict(sendCompletedA, BatchStatus.COMPLETED, 2, 0, null);
    BatchNotification completedB = verdict(sendCompletedB, BatchStatus.COMPLETED, 2, 1, null);
    PAssert.that(track(p, events))
        .containsInAnyOrder(lastAdvance == 4 ? List.of(completedA) : List.of(completedA, completedB));
    p.run().waitUntilFinish();
  }

  @Test
  void pendingTimerIsNotFiredAtTheEndOfTheStream(TestPipeline p) {
    // The counts match at t=0 and the stream ends at t=4m59s: no verdict, ever.
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(sendCompleted(A, 3)), counts(A, 3, 0))
            .advanceProcessingTime(minutes(4).plus(org.joda.time.Duration.standardSeconds(59)))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void extraRecordInsideTheDelayFailsTheBatch(TestPipeline p) {
    BatchNotification sendCompleted = sendCompleted(A, 100);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(sendCompleted))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 60, 0), counts(A, 40, 0))
            .advanceProcessingTime(minutes(1))
            .addElements(counts(A, 0, 1))
            // Well past the delay: the cleared completion timer adds nothing.
            .advanceProcessingTime(minutes(10))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events))
        .containsInAnyOrder(verdict(sendCompleted, BatchStatus.FAILED, 101, 1, tooManyMessage(101, 100)));
    p.run().waitUntilFinish();
  }

  @Test
  void ofTwoBatchesOnlyTheOneWithSendCompletedCompletes(TestPipeline p) {
    BatchNotification sendCompleted = sendCompleted(A, 10);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(started(A)), event(started(B)))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 10, 0), counts(B, 10, 0))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(event(sendCompleted))
            .advanceProcessingTime(minutes(10))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events))
        .containsInAnyOrder(verdict(sendCompleted, BatchStatus.COMPLETED, 10, 0, null));
    p.run().waitUntilFinish();
  }

  @Test
  void thresholdFailureIsEmittedOnce(TestPipeline p) {
    BatchNotification started = started(A);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(started))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 0, 1), counts(A, 0, 1), counts(A, 0, 1), counts(A, 0, 1), counts(A, 0, 1))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 0, 3), counts(A, 4, 0))
            .advanceProcessingTime(ONE_SECOND)
            // The counts now equal the expected count (12): a finished batch does not complete.
            .addElements(event(sendCompleted(A, 12)))
            .advanceProcessingTime(minutes(10))
            .addElements(counts(A, 0, 1))
            .advanceProcessingTime(minutes(10))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events))
        .containsInAnyOrder(verdict(started, BatchStatus.FAILED, 5, 5, thresholdMessage(5, 5)));
    p.run().waitUntilFinish();
  }

  @Test
  void deltaJumpingPastTheThresholdFailsOnce(TestPipeline p) {
    BatchNotification started = started(A);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(started))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 0, 7))
            .advanceProcessingTime(ONE_SECOND)
            .addElements(counts(A, 0, 7))
            .advanceWatermarkToInfinity();

    PAssert.that(track(p, events))
        .containsInAnyOrder(verdict(started, BatchStatus.FAILED, 7, 7, thresholdMessage(7, 5)));
    p.run().waitUntilFinish();
  }

  /**
   * TTL 10 minutes. Four invalid records, then the clock moves, then the fifth. Within the TTL the fifth reaches
   * the threshold; after it the batch's state is gone, the fifth starts from zero and nothing is emitted.
   */
  @ParameterizedTest(name = "advance {0} min")
  @ValueSource(ints = {9, 11})
  void stateExpiryForgetsTheBatch(int advance, TestPipeline p) {
    BatchNotification started = started(A);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(started), counts(A, 0, 4))
            .advanceProcessingTime(minutes(advance))
            .addElements(counts(A, 0, 1))
            .advanceProcessingTime(minutes(30))
            .advanceWatermarkToInfinity();

    PCollection<BatchNotification> verdicts =
        track(
            p,
            events,
            TrackBatches.withCompletionDelay(Duration.ofMinutes(1)).withStateTtl(Duration.ofMinutes(10)));
    if (advance == 9) {
      PAssert.that(verdicts).containsInAnyOrder(verdict(started, BatchStatus.FAILED, 5, 5, thresholdMessage(5, 5)));
    } else {
      PAssert.that(verdicts).empty();
    }
    p.run().waitUntilFinish();
  }

  @Test
  void stateTtlCountsFromTheLastEvent(TestPipeline p) {
    BatchNotification started = started(A);
    TestStream<KV<String, BatchEvent>> events =
        stream()
            .addElements(event(started), counts(A, 0, 4))
            .advanceProcessingTime(minutes(6))
            .addElements(counts(A, 1, 0))
            .advanceProcessingTime(minutes(6))
            // t=12m: 12 minutes after the first events, but only 6 after the last one.
            .addElements(counts(A, 0, 1))
            .advanceWatermarkToInfinity();

    PAssert.that(
            track(
                p,
                events,
                TrackBatches.withCompletionDelay(Duration.ofMinutes(1)).withStateTtl(Duration.ofMinutes(10))))
        .containsInAnyOrder(verdict(started, BatchStatus.FAILED, 6, 5, thresholdMessage(5, 5)));
    p.run().waitUntilFinish();
  }

  @Test
  void eventsMergesCountsAndNotifications(TestPipeline p) {
    BatchNotification started = started(A);
    PCollection<KV<String, BatchCounts>> counts =
        p.apply(
            "Counts",
            Create.of(KV.of(A, BatchCounts.ofInvalid(7)), KV.of(B, BatchCounts.ofValid(2)))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), BatchCounts.Coder.of())));
    PCollection<BatchNotification> notifications =
        p.apply("Notifications", Create.of(started).withCoder(BatchNotificationCoder.of()));

    PCollection<KV<String, BatchEvent>> events = TrackBatches.events(counts, notifications);
    PAssert.that(events)
        .containsInAnyOrder(
            KV.of(A, new BatchEvent.Counted(BatchCounts.ofInvalid(7))),
            KV.of(B, new BatchEvent.Counted(BatchCounts.ofValid(2))),
            KV.of(A, new BatchEvent.Notified(started)));
    // Whichever arrives first, 7 invalid records reach the threshold of 5 (the original's == never fired).
    PAssert.that(events.apply(TrackBatches.withCompletionDelay(DELAY)))
        .containsInAnyOrder(verdict(started, BatchStatus.FAILED, 7, 7, thresholdMessage(7, 5)));
    p.run().waitUntilFinish();
  }
}

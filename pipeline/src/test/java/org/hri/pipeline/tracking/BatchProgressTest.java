package org.hri.pipeline.tracking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.tracking.BatchProgress.Action;
import org.hri.pipeline.tracking.BatchProgress.Decision;
import org.junit.jupiter.api.Test;

/**
 * The tracker's decision logic without Beam: the original TrackerTest scenarios, one count event per record as the
 * original sent them, with this design's deliberate differences (threshold means "reaches", {@code >=}).
 */
class BatchProgressTest {
  static final String ID = "7902";
  static final long THRESHOLD = 5;
  static final OffsetDateTime START = OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC);
  static final OffsetDateTime END = OffsetDateTime.of(2021, 3, 4, 6, 0, 0, 0, ZoneOffset.UTC);
  static final JsonNode METADATA = json("{\"compression\":\"gzip\",\"finalRecordCount\":20,\"nested\":{\"a\":[1,2]}}");

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BatchNotification notification(String id, BatchStatus status, Long expected, long threshold) {
    return new BatchNotification(
        id, "batch-name", "integrator-1", "ingest.22.da3.in", "claims", status, START, END, null, expected, null,
        threshold, null, METADATA, null);
  }

  static BatchNotification started() {
    return notification(ID, BatchStatus.STARTED, null, THRESHOLD);
  }

  static BatchNotification sendCompleted(long expected) {
    return notification(ID, BatchStatus.SEND_COMPLETED, expected, THRESHOLD);
  }

  /** The verdict the tracker must emit: the stored notification with only status, counts and message set. */
  static BatchNotification verdict(
      BatchNotification stored, BatchStatus status, long actual, long invalid, String failureMessage) {
    return new BatchNotification(
        stored.id(), stored.name(), stored.integratorId(), stored.topic(), stored.dataType(), status,
        stored.startDate(), stored.endDate(), stored.recordCount(), stored.expectedRecordCount(), actual,
        stored.invalidThreshold(), invalid, stored.metadata(), failureMessage);
  }

  static String thresholdMessage(long invalid, long threshold) {
    return "Failing Batch: " + ID + ", too many invalid records invalidCount: " + invalid + " >= invalidThreshold: "
        + threshold;
  }

  static String tooManyMessage(long actual, long expected) {
    return "Failing batch: " + ID + ", received too many records, actualRecordCount: " + actual
        + " > expectedRecordCount: " + expected;
  }

  /**
   * Drives one batch's {@link BatchProgress} the way {@code TrackBatchesFn} does: keeps each decision's next
   * progress, arms a completion timer on ARM_COMPLETION_TIMER, clears it on EMIT, and collects the verdicts.
   */
  static final class Harness {
    BatchProgress progress = BatchProgress.EMPTY;
    final List<BatchNotification> out = new ArrayList<>();
    boolean timerArmed;

    Harness valid(int records) {
      for (int i = 0; i < records; i++) {
        act(progress.add(BatchCounts.ofValid(1)));
      }
      return this;
    }

    Harness invalid(int records) {
      for (int i = 0; i < records; i++) {
        act(progress.add(BatchCounts.ofInvalid(1)));
      }
      return this;
    }

    Harness counts(long valid, long invalid) {
      act(progress.add(new BatchCounts(valid, invalid)));
      return this;
    }

    Harness notify(BatchNotification notification) {
      act(progress.update(notification));
      return this;
    }

    /** The completion delay passed: the timer fires if it is armed. */
    Harness fireTimer() {
      if (timerArmed) {
        timerArmed = false;
        act(progress.completionDue());
      }
      return this;
    }

    private void act(Decision decision) {
      BatchProgress before = progress;
      long validBefore = before.valid();
      long invalidBefore = before.invalid();
      BatchNotification notificationBefore = before.notification();
      boolean finishedBefore = before.finished();
      progress = decision.next();
      // The progress the decision came from is never changed: it may be in a checkpoint being written.
      assertThat(before.valid(), is(validBefore));
      assertThat(before.invalid(), is(invalidBefore));
      assertThat(before.notification(), sameInstance(notificationBefore));
      assertThat(before.finished(), is(finishedBefore));
      switch (decision.action()) {
        case NONE -> assertThat(decision.verdict(), nullValue());
        case ARM_COMPLETION_TIMER -> {
          assertThat(decision.verdict(), nullValue());
          timerArmed = true;
        }
        case EMIT -> {
          assertThat(progress.finished(), is(true));
          timerArmed = false;
          out.add(decision.verdict());
        }
      }
    }
  }

  // ---- CountsWithoutNotification ----
  @Test
  void threeValid() {
    Harness h = new Harness().valid(3);
    assertThat(h.progress.valid(), is(3L));
    assertThat(h.progress.invalid(), is(0L));
    assertThat(h.progress.notification(), nullValue());
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void twoInvalid() {
    Harness h = new Harness().invalid(2);
    assertThat(h.progress.valid(), is(0L));
    assertThat(h.progress.invalid(), is(2L));
    assertThat(h.out, empty());
  }

  @Test
  void mixedCountsGiveNoOutput() {
    Harness h = new Harness().valid(2).invalid(4);
    assertThat(h.progress.valid(), is(2L));
    assertThat(h.progress.invalid(), is(4L));
    assertThat(h.progress.total(), is(6L));
    assertThat(h.out, empty());
    assertThat(h.progress.finished(), is(false));
  }

  @Test
  void invalidPastTheThresholdWithoutNotificationGivesNothing() {
    Harness h = new Harness().invalid(20);
    assertThat(h.out, empty());
    assertThat(h.progress.finished(), is(false));
  }

  @Test
  void decisionsAreNone() {
    Decision decision = BatchProgress.EMPTY.add(new BatchCounts(3, 9));
    assertThat(decision.action(), is(Action.NONE));
    assertThat(decision.verdict(), nullValue());
    assertThat(decision.next().total(), is(12L));
  }

  // ---- InvalidThreshold ----
  @Test
  void fifthInvalidFailsTheBatch() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().notify(sendCompleted).invalid(4);
    assertThat(h.out, empty());
    h.invalid(1);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 5, 5, thresholdMessage(5, 5))));
    assertThat(h.out.get(0).expectedRecordCount(), is(100L));
    assertThat(
        h.out.get(0).failureMessage(),
        is("Failing Batch: 7902, too many invalid records invalidCount: 5 >= invalidThreshold: 5"));
  }

  @Test
  void laterInvalidRecordsProduceNothingMore() {
    BatchNotification sendCompleted = sendCompleted(10);
    Harness h = new Harness().notify(sendCompleted).invalid(10);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 5, 5, thresholdMessage(5, 5))));
    assertThat(h.progress.invalid(), is(10L));
    assertThat(h.progress.finished(), is(true));
    // The counts now equal the expected count: still no second verdict, and no timer.
    assertThat(h.progress.total(), is(10L));
    assertThat(h.timerArmed, is(false));
    assertThat(h.fireTimer().out, hasSize(1));
  }

  @Test
  void failsBeforeSendCompleteToo() {
    BatchNotification started = started();
    Harness h = new Harness().notify(started).valid(3).invalid(5);
    assertThat(h.out, contains(verdict(started, BatchStatus.FAILED, 8, 5, thresholdMessage(5, 5))));
    assertThat(h.out.get(0).expectedRecordCount(), nullValue());
  }

  @Test
  void deltaJumpingPastTheThresholdFails() {
    BatchNotification started = started();
    Harness h = new Harness().notify(started).counts(0, 4);
    assertThat(h.out, empty());
    h.counts(2, 7);
    assertThat(h.out, contains(verdict(started, BatchStatus.FAILED, 13, 11, thresholdMessage(11, 5))));
  }

  @Test
  void singleDeltaOfSevenWithThresholdFive() {
    BatchNotification started = started();
    Decision notified = BatchProgress.EMPTY.update(started);
    assertThat(notified.action(), is(Action.NONE));
    Decision decision = notified.next().add(BatchCounts.ofInvalid(7));
    assertThat(decision.action(), is(Action.EMIT));
    assertThat(decision.verdict(), is(verdict(started, BatchStatus.FAILED, 7, 7, thresholdMessage(7, 5))));
    assertThat(
        decision.verdict().failureMessage(),
        is("Failing Batch: 7902, too many invalid records invalidCount: 7 >= invalidThreshold: 5"));
  }

  /** The original compared with {@code ==} and never failed this batch. */
  @Test
  void notificationArrivingAfterCountsAlreadyAboveTheThresholdFails() {
    BatchNotification started = started();
    Harness h = new Harness().invalid(7).valid(2);
    assertThat(h.out, empty());
    h.notify(started);
    assertThat(h.out, contains(verdict(started, BatchStatus.FAILED, 9, 7, thresholdMessage(7, 5))));
  }

  @Test
  void sendCompletedArrivingFirstAfterCountsAboveTheThresholdFails() {
    // The started notification was missed (offsets reset to latest): sendCompleted is the first one.
    BatchNotification sendCompleted = sendCompleted(20);
    Harness h = new Harness().valid(10).invalid(6).notify(sendCompleted);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 16, 6, thresholdMessage(6, 5))));
  }

  @Test
  void thresholdIsCheckedBeforeTooManyRecords() {
    BatchNotification sendCompleted = sendCompleted(4);
    Harness h = new Harness().invalid(6).notify(sendCompleted);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 6, 6, thresholdMessage(6, 5))));
  }

  @Test
  void thresholdIsCheckedBeforeCompletion() {
    // invalid == threshold and total == expected at once: FAILED, not a completion timer.
    BatchNotification sendCompleted = sendCompleted(8);
    Harness h = new Harness().notify(sendCompleted).valid(3).invalid(5);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 8, 5, thresholdMessage(5, 5))));
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void noThresholdMeansInvalidRecordsNeverFail() {
    BatchNotification sendCompleted = notification(ID, BatchStatus.SEND_COMPLETED, 1000L, -1);
    Harness h = new Harness().notify(sendCompleted).invalid(999);
    assertThat(h.out, empty());
    h.invalid(1);
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(true));
    h.fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 1000, 1000, null)));
  }

  @Test
  void thresholdOfOneFailsAtTheFirstInvalidRecord() {
    BatchNotification started = notification(ID, BatchStatus.STARTED, null, 1);
    Harness h = new Harness().notify(started).valid(4);
    assertThat(h.out, empty());
    h.invalid(1);
    assertThat(h.out, contains(verdict(started, BatchStatus.FAILED, 5, 1, thresholdMessage(1, 1))));
  }

  // ---- Completion ----
  @Test
  void notificationFirstThenCountsReachTheTotal() {
    BatchNotification sendCompleted = sendCompleted(12);
    Harness h = new Harness().notify(sendCompleted).valid(8).invalid(3);
    assertThat(h.timerArmed, is(false));
    h.valid(1);
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(true));
    h.fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 12, 3, null)));
    BatchNotification completed = h.out.get(0);
    assertThat(completed.expectedRecordCount(), is(12L));
    assertThat(completed.actualRecordCount(), is(12L));
    assertThat(completed.invalidRecordCount(), is(3L));
    assertThat(completed.failureMessage(), nullValue());
    assertThat(completed.dataType(), is("claims"));
  }

  @Test
  void countsFirstThenTheNotification() {
    BatchNotification sendCompleted = sendCompleted(8);
    Harness h = new Harness().valid(6).invalid(2);
    assertThat(h.timerArmed, is(false));
    h.notify(sendCompleted);
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(true));
    h.fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 8, 2, null)));
  }

  @Test
  void fewerRecordsThanExpectedAfterTheNotification() {
    Harness h = new Harness().notify(sendCompleted(100)).valid(3).invalid(3).fireTimer();
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void fewerRecordsThanExpectedBeforeTheNotification() {
    Harness h = new Harness().valid(4).invalid(4).notify(sendCompleted(50)).fireTimer();
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void sendCompletedWithNoRecordsNeverCompletesNorFails() {
    Harness h = new Harness().notify(notification(ID, BatchStatus.STARTED, null, THRESHOLD)).notify(sendCompleted(2));
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
    assertThat(h.progress.completionDue().action(), is(Action.NONE));
    assertThat(h.progress.finished(), is(false));
  }

  @Test
  void theDelayIsRespected() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().notify(sendCompleted).valid(98).invalid(2);
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(true));
    h.fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 100, 2, null)));
  }

  @Test
  void theDelayIsRespectedWithCountsBeforeTheNotification() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().valid(98).invalid(2).notify(sendCompleted);
    assertThat(h.out, empty());
    h.fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 100, 2, null)));
  }

  @Test
  void deprecatedRecordCountIsTheExpectedCountOfV1Notifications() {
    BatchNotification sendCompleted =
        new BatchNotification(
            ID, "batch-name", "integrator-1", "ingest.22.da3.in", "claims", BatchStatus.SEND_COMPLETED, START,
            null, 3L, null, null, null, null, null, null);
    Harness h = new Harness().notify(sendCompleted).valid(3).fireTimer();
    assertThat(
        h.out,
        contains(
            new BatchNotification(
                ID, "batch-name", "integrator-1", "ingest.22.da3.in", "claims", BatchStatus.COMPLETED, START,
                null, 3L, null, 3L, -1L, 0L, null, null)));
  }

  @Test
  void completionDueRechecksTheCurrentCounts() {
    Decision matched = BatchProgress.EMPTY.update(sendCompleted(2)).next().add(BatchCounts.ofValid(2));
    assertThat(matched.action(), is(Action.ARM_COMPLETION_TIMER));
    // A timer that fires late, after the batch got an extra record and failed, does nothing.
    Decision failed = matched.next().add(BatchCounts.ofValid(1));
    assertThat(failed.action(), is(Action.EMIT));
    assertThat(failed.next().completionDue().action(), is(Action.NONE));
  }

  @Test
  void completionDueWithoutANotificationDoesNothing() {
    BatchProgress progress = BatchProgress.EMPTY.add(BatchCounts.ofValid(2)).next();
    Decision decision = progress.completionDue();
    assertThat(decision.action(), is(Action.NONE));
    assertThat(decision.next(), sameInstance(progress));
    assertThat(progress.finished(), is(false));
  }

  // ---- TooManyRecords ----
  @Test
  void extraRecordBeforeTheTimerFires() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().notify(sendCompleted).valid(100).invalid(2).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 101, 1, tooManyMessage(101, 100))));
    assertThat(
        h.out.get(0).failureMessage(),
        is("Failing batch: 7902, received too many records, actualRecordCount: 101 > expectedRecordCount: 100"));
    assertThat(h.progress.invalid(), is(2L));
  }

  @Test
  void tooManyCountsBeforeTheNotificationFailImmediately() {
    BatchNotification sendCompleted = sendCompleted(15);
    Harness h = new Harness().valid(15).invalid(1).notify(sendCompleted);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 16, 1, tooManyMessage(16, 15))));
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void extraRecordInsideTheDelayFailsAtOnce() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().notify(sendCompleted).valid(100);
    assertThat(h.timerArmed, is(true));
    h.invalid(1);
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 101, 1, tooManyMessage(101, 100))));
    assertThat(h.timerArmed, is(false));
    assertThat(h.progress.completionDue().action(), is(Action.NONE));
    assertThat(h.out, hasSize(1));
  }

  @Test
  void extraRecordAfterTheDelayIsIgnored() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().notify(sendCompleted).valid(100).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 100, 0, null)));
    h.invalid(1);
    assertThat(h.out, hasSize(1));
    assertThat(h.progress.total(), is(101L));
  }

  @Test
  void tooManyCountsBeforeTheNotificationAndTheTimerAddsNothing() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().valid(100).invalid(2).notify(sendCompleted).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.FAILED, 102, 2, tooManyMessage(102, 100))));
    assertThat(h.progress.completionDue().action(), is(Action.NONE));
  }

  @Test
  void countsBeforeTheNotificationAndExtrasAfterCompletion() {
    BatchNotification sendCompleted = sendCompleted(100);
    Harness h = new Harness().valid(100).notify(sendCompleted).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 100, 0, null)));
    h.invalid(2);
    assertThat(h.out, hasSize(1));
  }

  @Test
  void moreRecordsThanExpectedBeforeSendCompleteAreNotAFailure() {
    Harness h = new Harness().notify(started()).valid(500);
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  // ---- TwoBatches ----
  @Test
  void onlyTheBatchWithSendCompletedCompletes() {
    Harness first = new Harness().notify(started());
    Harness second = new Harness().notify(notification("secondBatch", BatchStatus.STARTED, null, THRESHOLD));
    first.valid(10);
    second.valid(10);
    BatchNotification sendCompleted = sendCompleted(10);
    first.notify(sendCompleted);
    first.fireTimer();
    second.fireTimer();
    assertThat(first.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 10, 0, null)));
    assertThat(second.out, empty());
    assertThat(second.progress.valid(), is(10L));
  }

  // ---- Notifications ----
  @Test
  void lateStartedDoesNotMoveTheBatchBack() {
    BatchNotification sendCompleted = sendCompleted(10);
    Harness h = new Harness().notify(sendCompleted).notify(started());
    assertThat(h.progress.notification(), sameInstance(sendCompleted));
    h.valid(10).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 10, 0, null)));
  }

  @Test
  void lateStartedAfterCountsMatchedStillCompletes() {
    BatchNotification sendCompleted = sendCompleted(10);
    Harness h = new Harness().valid(10).notify(sendCompleted).notify(started()).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 10, 0, null)));
  }

  @Test
  void lateSendCompletedDoesNotReopenATerminatedBatch() {
    BatchNotification terminated = notification(ID, BatchStatus.TERMINATED, 10L, THRESHOLD);
    Harness h = new Harness().notify(terminated).notify(sendCompleted(10)).valid(10).fireTimer();
    assertThat(h.progress.notification(), sameInstance(terminated));
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void aNewerNotificationOfTheSameStatusReplacesTheStoredOne() {
    BatchNotification first = sendCompleted(10);
    BatchNotification second = notification(ID, BatchStatus.SEND_COMPLETED, 12L, THRESHOLD);
    Harness h = new Harness().notify(first).notify(second);
    assertThat(h.progress.notification(), sameInstance(second));
    h.valid(12).fireTimer();
    assertThat(h.out, contains(verdict(second, BatchStatus.COMPLETED, 12, 0, null)));
  }

  @Test
  void notificationsKeepTheCounts() {
    Harness h = new Harness().valid(3).invalid(2).notify(started()).notify(sendCompleted(100));
    assertThat(h.progress.valid(), is(3L));
    assertThat(h.progress.invalid(), is(2L));
    assertThat(h.out, empty());
  }

  // ---- FinalStatuses ----
  @Test
  void terminatedBatchIgnoresTheThreshold() {
    BatchNotification terminated = notification(ID, BatchStatus.TERMINATED, null, THRESHOLD);
    Harness h = new Harness().notify(terminated).invalid(8);
    assertThat(h.out, empty());
    assertThat(h.progress.finished(), is(false));
  }

  @Test
  void aBatchTheApiClosedGetsNoThresholdVerdictFromTheTracker() {
    // The Management API allows completed -> failed; the tracker must not send one for a batch it did not
    // finish itself (for instance after its state expired and the completed notification was replayed).
    for (BatchStatus closed : List.of(BatchStatus.COMPLETED, BatchStatus.FAILED)) {
      Harness h = new Harness().notify(notification(ID, closed, 10L, THRESHOLD)).invalid(8);
      assertThat(h.out, empty());
      assertThat(h.progress.finished(), is(false));
    }
  }

  @Test
  void terminatedBatchNeverCompletes() {
    Harness h =
        new Harness().notify(notification(ID, BatchStatus.TERMINATED, 10L, THRESHOLD)).valid(10).fireTimer();
    assertThat(h.out, empty());
    assertThat(h.timerArmed, is(false));
  }

  @Test
  void terminatedDuringTheDelayStopsTheCompletion() {
    Harness h = new Harness().notify(sendCompleted(10)).valid(10);
    assertThat(h.timerArmed, is(true));
    h.notify(notification(ID, BatchStatus.TERMINATED, 10L, THRESHOLD));
    h.fireTimer();
    assertThat(h.out, empty());
    assertThat(h.progress.completionDue().action(), is(Action.NONE));
  }

  @Test
  void theTrackersOwnCompletedNotificationComingBackChangesNothing() {
    BatchNotification sendCompleted = sendCompleted(10);
    Harness h = new Harness().notify(sendCompleted).valid(10).fireTimer();
    BatchNotification completed = h.out.get(0);
    // The Management API publishes the completed batch; the feedback loop brings it back to the tracker.
    h.notify(completed).invalid(10).fireTimer();
    assertThat(h.out, contains(verdict(sendCompleted, BatchStatus.COMPLETED, 10, 0, null)));
    assertThat(h.progress.notification(), is(completed));
  }

  @Test
  void theTrackersOwnFailedNotificationComingBackChangesNothing() {
    BatchNotification started = started();
    Harness h = new Harness().notify(started).invalid(5);
    BatchNotification failed = h.out.get(0);
    h.notify(failed).invalid(5).notify(sendCompleted(10)).fireTimer();
    assertThat(h.out, contains(verdict(started, BatchStatus.FAILED, 5, 5, thresholdMessage(5, 5))));
  }

  // ---- Verdicts ----
  @Test
  void verdictKeepsEveryFieldOfTheStoredNotification() {
    BatchNotification sendCompleted =
        new BatchNotification(
            ID, "名前 batch", "integrator-1", "ingest.22.da3.in", "claims 中文", BatchStatus.SEND_COMPLETED, START,
            END, 4L, 4L, 99L, THRESHOLD, 77L, METADATA, "stale message");
    Harness h = new Harness().notify(sendCompleted).valid(3).invalid(1).fireTimer();
    assertThat(h.out, hasSize(1));
    BatchNotification completed = h.out.get(0);
    assertThat(completed.id(), is(ID));
    assertThat(completed.name(), is("名前 batch"));
    assertThat(completed.integratorId(), is("integrator-1"));
    assertThat(completed.topic(), is("ingest.22.da3.in"));
    assertThat(completed.dataType(), is("claims 中文"));
    assertThat(completed.status(), is(BatchStatus.COMPLETED));
    assertThat(completed.startDate(), is(START));
    assertThat(completed.endDate(), is(END));
    assertThat(completed.recordCount(), is(4L));
    assertThat(completed.expectedRecordCount(), is(4L));
    assertThat(completed.actualRecordCount(), is(4L));
    assertThat(completed.invalidThreshold(), is(THRESHOLD));
    assertThat(completed.invalidRecordCount(), is(1L));
    assertThat(completed.metadata(), is(METADATA));
    assertThat(completed.failureMessage(), nullValue());
    // The stored notification is not changed by the verdict.
    assertThat(h.progress.notification(), sameInstance(sendCompleted));
    assertThat(sendCompleted.status(), is(BatchStatus.SEND_COMPLETED));
    assertThat(sendCompleted.actualRecordCount(), is(99L));
  }

  @Test
  void failedVerdictKeepsEveryFieldToo() {
    BatchNotification started = started();
    Harness h = new Harness().notify(started).invalid(5);
    BatchNotification failed = h.out.get(0);
    assertThat(failed.id(), equalTo(ID));
    assertThat(failed.name(), equalTo("batch-name"));
    assertThat(failed.topic(), equalTo("ingest.22.da3.in"));
    assertThat(failed.dataType(), equalTo("claims"));
    assertThat(failed.startDate(), equalTo(START));
    assertThat(failed.endDate(), equalTo(END));
    assertThat(failed.metadata(), equalTo(METADATA));
    assertThat(failed.status(), is(BatchStatus.FAILED));
  }

  @Test
  void atMostOneVerdictPerBatch() {
    BatchNotification sendCompleted = sendCompleted(10);
    Harness h = new Harness().notify(sendCompleted).invalid(5);
    assertThat(h.out, hasSize(1));
    // Nothing that would otherwise give a verdict gives a second one.
    h.invalid(5).fireTimer();
    h.valid(20);
    h.notify(sendCompleted(10)).notify(notification(ID, BatchStatus.SEND_COMPLETED, 30L, THRESHOLD));
    assertThat(h.progress.completionDue().action(), is(Action.NONE));
    assertThat(h.out, hasSize(1));
    assertThat(h.progress.finished(), is(true));
  }

  // ---- Immutability ----
  /** Flink's heap state backend may be serializing the stored progress while the next event is handled. */
  @Test
  void eventsLeaveTheProgressTheyStartFromAsItWas() {
    BatchProgress started = BatchProgress.EMPTY.update(sendCompleted(3)).next().add(BatchCounts.ofValid(2)).next();
    Decision counted = started.add(new BatchCounts(1, 0));
    Decision notified = started.update(notification(ID, BatchStatus.TERMINATED, 3L, THRESHOLD));
    Decision completed = counted.next().completionDue();

    assertThat(counted.action(), is(Action.ARM_COMPLETION_TIMER));
    assertThat(completed.action(), is(Action.EMIT));
    assertThat(started.valid(), is(2L));
    assertThat(started.notification().status(), is(BatchStatus.SEND_COMPLETED));
    assertThat(notified.next().notification().status(), is(BatchStatus.TERMINATED));
    assertThat(counted.next().valid(), is(3L));
    assertThat(counted.next().finished(), is(false));
    assertThat(completed.next().finished(), is(true));
    assertThat(BatchProgress.EMPTY.total(), is(0L));
    assertThat(BatchProgress.EMPTY.notification(), nullValue());
    // A decision that changes nothing keeps the same value, so the tracker writes nothing.
    assertThat(started.completionDue().next(), sameInstance(started));
    assertThat(completed.next().add(BatchCounts.ofValid(1)).next().finished(), is(true));
  }

  // ---- StateCoder ----
  @Test
  void progressSurvivesTheCoder() throws Exception {
    BatchProgress.Coder coder = new BatchProgress.Coder();
    BatchNotification sendCompleted = sendCompleted(10);
    BatchProgress progress = BatchProgress.EMPTY.update(sendCompleted).next().add(new BatchCounts(6, 3)).next();

    BatchProgress decoded = CoderUtils.clone(coder, progress);
    assertThat(decoded.valid(), is(6L));
    assertThat(decoded.invalid(), is(3L));
    assertThat(decoded.finished(), is(false));
    assertThat(decoded.notification(), is(sendCompleted));
    assertThat(decoded.add(BatchCounts.ofValid(1)).action(), is(Action.ARM_COMPLETION_TIMER));
  }

  @Test
  void finishedFlagAndEmptyProgressSurviveTheCoder() throws Exception {
    BatchProgress.Coder coder = new BatchProgress.Coder();
    BatchProgress empty = CoderUtils.clone(coder, BatchProgress.EMPTY);
    assertThat(empty.notification(), nullValue());
    assertThat(empty.total(), is(0L));

    Decision failing = BatchProgress.EMPTY.update(started()).next().add(BatchCounts.ofInvalid(5));
    assertThat(failing.action(), is(Action.EMIT));
    BatchProgress decoded = CoderUtils.clone(coder, failing.next());
    assertThat(decoded.finished(), is(true));
    assertThat(decoded.add(BatchCounts.ofInvalid(5)).action(), is(Action.NONE));
  }
}

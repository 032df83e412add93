package org.hri.pipeline.tracking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.tracking.BatchProgress.Action;
import org.hri.pipeline.tracking.BatchProgress.Decision;

/**
 * Whatever the order and content of a batch's events — count deltas, notifications of any status, count and
 * threshold, completion timers firing at any time — the tracker never throws, counts exactly, gives at most
 * one verdict and only one its rules allow, and never changes a progress value it was given.
 */
class BatchProgressProperties {
  /** One event: counts (valid, invalid), a notification, or the completion timer. */
  record Event(BatchCounts counts, BatchNotification notification) {
    boolean isTimer() {
      return counts == null && notification == null;
    }
  }

  @Property(tries = 3000)
  void atMostOneVerdictWithExactCountsAndOnlyWhenTheRulesSaySo(@ForAll("histories") List<Event> events) {
    BatchProgress progress = BatchProgress.EMPTY;
    long valid = 0;
    long invalid = 0;
    int verdicts = 0;
    for (Event event : events) {
      BatchProgress before = progress;
      String beforeState = describe(before);
      Decision decision;
      if (event.isTimer()) {
        decision = progress.completionDue();
      } else if (event.counts() != null) {
        valid += event.counts().valid();
        invalid += event.counts().invalid();
        decision = progress.add(event.counts());
      } else {
        decision = progress.update(event.notification());
      }
      progress = decision.next();
      assertThat("a progress value is never changed", describe(before), is(beforeState));
      assertThat(progress.valid(), is(valid));
      assertThat(progress.invalid(), is(invalid));
      if (decision.action() == Action.EMIT) {
        verdicts++;
        checkVerdict(decision.verdict(), progress);
      }
      assertThat(progress.finished(), is(verdicts > 0));
    }
    assertThat(verdicts, lessThanOrEqualTo(1));
  }

  private static void checkVerdict(BatchNotification verdict, BatchProgress progress) {
    BatchNotification latest = progress.notification();
    assertThat(latest.status().isFinal(), is(false)); // a batch the API closed gets no verdict
    assertThat(verdict.actualRecordCount(), is(progress.total()));
    assertThat(verdict.invalidRecordCount(), is(progress.invalid()));
    Long expected = latest.expectedCount();
    long threshold = latest.invalidThreshold();
    boolean thresholdReached = threshold > BatchNotification.NO_THRESHOLD && progress.invalid() >= threshold;
    boolean tooMany =
        latest.status() == BatchStatus.SEND_COMPLETED && expected != null && progress.total() > expected;
    boolean complete =
        latest.status() == BatchStatus.SEND_COMPLETED && expected != null && progress.total() == expected;
    if (verdict.status() == BatchStatus.FAILED) {
      assertThat(thresholdReached || tooMany, is(true));
    } else {
      assertThat(verdict.status(), is(BatchStatus.COMPLETED));
      assertThat(complete, is(true));
    }
  }

  private static String describe(BatchProgress p) {
    return p.valid() + "/" + p.invalid() + "/" + p.finished() + "/" + p.notification();
  }

  @Provide
  Arbitrary<List<Event>> histories() {
    Arbitrary<Event> counts =
        Combinators.combine(Arbitraries.longs().between(0, 4), Arbitraries.longs().between(0, 4))
            .as((v, i) -> new Event(new BatchCounts(v, i), null));
    Arbitrary<Event> notifications =
        Combinators.combine(
                Arbitraries.of(BatchStatus.class),
                Arbitraries.longs().between(0, 12).injectNull(0.2),
                Arbitraries.longs().between(-1, 6))
            .as((status, expected, threshold) -> new Event(null,
                new BatchNotification("b1", "n", "di", "ingest.t1.di.in", "claims", status, null, null, null,
                    expected, null, threshold, null, null, null)));
    Arbitrary<Event> timer = Arbitraries.just(new Event(null, null));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, counts), net.jqwik.api.Tuple.of(3, notifications),
            net.jqwik.api.Tuple.of(2, timer))
        .list()
        .ofMaxSize(30);
  }
}

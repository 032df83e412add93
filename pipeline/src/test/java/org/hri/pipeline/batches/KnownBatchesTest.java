package org.hri.pipeline.batches;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;

/** The batches the side input knows: statuses that only move forward, pruning, versions, immutability. */
class KnownBatchesTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final Duration IDLE_TTL = Duration.ofDays(7);

  /** One update as of {@code now}, then the pruning that comes with it. */
  private static KnownBatches update(KnownBatches known, String batchId, BatchStatus status, Instant now) {
    return known.withUpdates(List.of(KV.of(batchId, status)), now, RETENTION, IDLE_TTL);
  }

  private static KnownBatches prune(KnownBatches known, Instant now, Duration retention, Duration ttl) {
    return known.withUpdates(List.of(), now, retention, ttl);
  }

  private static KnownBatches prune(KnownBatches known, Instant now) {
    return prune(known, now, RETENTION, IDLE_TTL);
  }

  /** Whether the step from {@code before} to {@code after} changed a status: the version grows by one. */
  private static boolean changed(KnownBatches before, KnownBatches after) {
    assertThat(after.version() - before.version(), is(either(is(0L)).or(is(1L))));
    return after.version() > before.version();
  }

  @Test
  void nothingIsKnownAtFirst() {
    KnownBatches known = KnownBatches.EMPTY;
    assertThat(known.version(), is(0L));
    assertThat(known.size(), is(0));
    assertThat(known.published(), is(new PublishedStatuses(0, Map.of())));
  }

  @Test
  void countsTheBatchesWithoutAFinalStatus() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.STARTED, T0);
    known = update(known, "b2", BatchStatus.SEND_COMPLETED, T0);
    known = update(known, "b3", BatchStatus.COMPLETED, T0);
    known = update(known, "b4", BatchStatus.FAILED, T0);

    assertThat(known.size(), is(4));
    assertThat(known.open(), is(2L));
  }

  @Test
  void statusesMoveForward() {
    KnownBatches known = KnownBatches.EMPTY;
    KnownBatches next = update(known, "b1", BatchStatus.STARTED, T0);
    assertThat(changed(known, next), is(true));
    assertThat(next.version(), is(1L));
    known = next;
    next = update(known, "b1", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1));
    assertThat(changed(known, next), is(true));
    assertThat(next.version(), is(2L));
    known = next;
    next = update(known, "b1", BatchStatus.COMPLETED, T0.plusSeconds(2));
    assertThat(changed(known, next), is(true));
    assertThat(next.version(), is(3L));
    known = next;
    // The Management API allows completed -> failed.
    next = update(known, "b1", BatchStatus.FAILED, T0.plusSeconds(3));
    assertThat(changed(known, next), is(true));
    assertThat(next.version(), is(4L));
    assertThat(next.published(), is(new PublishedStatuses(4, Map.of("b1", BatchStatus.FAILED))));
  }

  @Test
  void statusesNeverMoveBack() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.SEND_COMPLETED, T0);
    KnownBatches next = update(known, "b1", BatchStatus.STARTED, T0.plusSeconds(1));
    assertThat(changed(known, next), is(false));
    assertThat(next, sameInstance(known)); // nothing at all changed: the tracker writes nothing back
    assertThat(next.version(), is(1L));
    assertThat(next.published().statusOf("b1"), is(BatchStatus.SEND_COMPLETED));

    known = update(next, "b2", BatchStatus.TERMINATED, T0);
    assertThat(changed(known, update(known, "b2", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1))), is(false));
    assertThat(changed(known, update(known, "b2", BatchStatus.COMPLETED, T0.plusSeconds(1))), is(false));
    assertThat(changed(known, update(known, "b2", BatchStatus.STARTED, T0.plusSeconds(1))), is(false));

    known = update(known, "b3", BatchStatus.COMPLETED, T0);
    assertThat(changed(known, update(known, "b3", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1))), is(false));

    assertThat(known.version(), is(3L));
    assertThat(
        known.published(),
        is(
            new PublishedStatuses(
                3,
                Map.of(
                    "b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.TERMINATED, "b3", BatchStatus.COMPLETED))));
  }

  @Test
  void sameStatusAgainRefreshesTheEntryWithoutANewVersion() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.STARTED, T0);
    KnownBatches refreshed = update(known, "b1", BatchStatus.STARTED, T0.plus(Duration.ofDays(5)));
    assertThat(changed(known, refreshed), is(false));
    assertThat(refreshed.version(), is(1L));
    // Idle time counts from the latest notification: 8 days after the first, 3 after the second.
    assertThat(prune(refreshed, T0.plus(Duration.ofDays(8))).published().statusOf("b1"), is(BatchStatus.STARTED));
    // The known before the refresh is unchanged: there the batch idled out.
    assertThat(prune(known, T0.plus(Duration.ofDays(8))).published().statusOf("b1"), nullValue());
  }

  @Test
  void finalBatchesArePrunedAfterTheRetention() {
    KnownBatches known = KnownBatches.EMPTY;
    known = update(known, "completed", BatchStatus.COMPLETED, T0);
    known = update(known, "terminated", BatchStatus.TERMINATED, T0);
    known = update(known, "failed", BatchStatus.FAILED, T0);
    known = update(known, "started", BatchStatus.STARTED, T0);
    known = update(known, "sendCompleted", BatchStatus.SEND_COMPLETED, T0);
    assertThat(known.version(), is(5L));

    KnownBatches kept = prune(known, T0.plus(RETENTION));
    assertThat(kept, sameInstance(known));
    assertThat(kept.size(), is(5));
    assertThat(kept.version(), is(5L));

    KnownBatches pruned = prune(kept, T0.plus(RETENTION).plusMillis(1));
    assertThat(pruned.version(), is(6L));
    assertThat(
        pruned.published(),
        is(
            new PublishedStatuses(
                6, Map.of("started", BatchStatus.STARTED, "sendCompleted", BatchStatus.SEND_COMPLETED))));
    assertThat(kept.size(), is(5));
  }

  @Test
  void retentionCountsFromTheFinalStatus() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.SEND_COMPLETED, T0);
    known = update(known, "b1", BatchStatus.COMPLETED, T0.plus(Duration.ofMinutes(50)));
    known = prune(known, T0.plus(Duration.ofMinutes(100)));
    assertThat(known.published().statusOf("b1"), is(BatchStatus.COMPLETED));
    known = prune(known, T0.plus(Duration.ofMinutes(111)));
    assertThat(known.published().statusOf("b1"), nullValue());
  }

  @Test
  void idleBatchesArePrunedAfterTheTtl() {
    KnownBatches known = update(KnownBatches.EMPTY, "idle", BatchStatus.STARTED, T0);
    known = update(known, "active", BatchStatus.STARTED, T0);
    known = update(known, "active", BatchStatus.SEND_COMPLETED, T0.plus(Duration.ofDays(6)));
    assertThat(known.version(), is(3L));

    known = prune(known, T0.plus(IDLE_TTL));
    assertThat(known.size(), is(2));
    assertThat(known.version(), is(3L));

    known = prune(known, T0.plus(IDLE_TTL).plusMillis(1));
    assertThat(known.version(), is(4L));
    assertThat(known.published(), is(new PublishedStatuses(4, Map.of("active", BatchStatus.SEND_COMPLETED))));

    known = prune(known, T0.plus(Duration.ofDays(13)).plusMillis(1));
    assertThat(known.published(), is(new PublishedStatuses(5, Map.of())));
  }

  @Test
  void finalBatchesUseTheRetentionEvenWhenItIsLongerThanTheTtl() {
    KnownBatches known = update(KnownBatches.EMPTY, "done", BatchStatus.COMPLETED, T0);
    known = update(known, "open", BatchStatus.STARTED, T0);
    known = prune(known, T0.plus(Duration.ofHours(2)), Duration.ofDays(1), Duration.ofHours(1));
    assertThat(known.published().statuses(), is(Map.of("done", BatchStatus.COMPLETED)));
  }

  @Test
  void pruningNothingKeepsTheVersion() {
    KnownBatches known = prune(KnownBatches.EMPTY, T0);
    assertThat(known.version(), is(0L));
    known = update(known, "b1", BatchStatus.STARTED, T0);
    known = prune(known, T0.plusSeconds(10));
    assertThat(known.version(), is(1L));
  }

  @Test
  void aPrunedBatchCanComeBackWithAnyStatus() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.COMPLETED, T0);
    known = prune(known, T0.plus(Duration.ofHours(2)));
    assertThat(known.size(), is(0));
    KnownBatches back = update(known, "b1", BatchStatus.STARTED, T0.plus(Duration.ofHours(3)));
    assertThat(changed(known, back), is(true));
    assertThat(back.published(), is(new PublishedStatuses(3, Map.of("b1", BatchStatus.STARTED))));
  }

  @Test
  void versionsGrowWithEveryChange() {
    KnownBatches known = KnownBatches.EMPTY;
    long last = known.version();
    String[] ids = {"a", "b", "c"};
    for (BatchStatus status : BatchStatus.values()) {
      for (String id : ids) {
        KnownBatches next = update(known, id, status, T0);
        boolean statusChanged = known.published().statusOf(id) != next.published().statusOf(id);
        assertThat(next.version() > last, is(statusChanged));
        last = next.version();
        known = next;
      }
    }
  }

  /** One interval's updates at once give the same known, versions included, as one update at a time. */
  @Test
  void manyUpdatesAtOnceAreAppliedInOneStep() {
    List<KV<String, BatchStatus>> updates = List.of(
        KV.of("b1", BatchStatus.STARTED), KV.of("b2", BatchStatus.SEND_COMPLETED), KV.of("b1", BatchStatus.STARTED),
        KV.of("b1", BatchStatus.SEND_COMPLETED), KV.of("b2", BatchStatus.STARTED), KV.of("old", BatchStatus.FAILED),
        KV.of("b3", BatchStatus.TERMINATED));
    KnownBatches start = update(KnownBatches.EMPTY, "old", BatchStatus.COMPLETED, T0);
    Instant now = T0.plusSeconds(1);

    KnownBatches atOnce = start.withUpdates(updates, now, RETENTION, IDLE_TTL);
    KnownBatches oneByOne = start;
    for (KV<String, BatchStatus> u : updates) {
      oneByOne = update(oneByOne, u.getKey(), u.getValue(), now);
    }
    // 5 status changes: b1 twice, b2, old, b3.
    assertThat(atOnce.version(), is(6L));
    assertThat(atOnce.published(), is(oneByOne.published()));
    assertThat(
        atOnce.published().statuses(),
        is(Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.SEND_COMPLETED, "old", BatchStatus.FAILED,
            "b3", BatchStatus.TERMINATED)));
    // An update and pruning (the final "old" and "b3") in one step: one each.
    KnownBatches pruned = atOnce.withUpdates(
        List.of(KV.of("b4", BatchStatus.STARTED)), now.plus(RETENTION).plusSeconds(1), RETENTION, IDLE_TTL);
    assertThat(pruned.version(), is(8L));
    assertThat(pruned.published().statuses(),
        is(Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.SEND_COMPLETED, "b4", BatchStatus.STARTED)));
  }

  /** Flink's heap state backend may be serializing the known read from state while the next is built. */
  @Test
  void updatesLeaveTheValueTheyStartFromAsItWas() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.STARTED, T0);
    PublishedStatuses before = known.published();
    KnownBatches next = known.withUpdates(
        List.of(KV.of("b1", BatchStatus.SEND_COMPLETED), KV.of("b2", BatchStatus.STARTED)), T0, RETENTION, IDLE_TTL);
    KnownBatches pruned = prune(next, T0.plus(Duration.ofDays(8)));

    assertThat(known.published(), is(before));
    assertThat(known.size(), is(1));
    assertThat(next.published(), is(new PublishedStatuses(3, Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.STARTED))));
    assertThat(pruned.published(), is(new PublishedStatuses(4, Map.of())));
    assertThat(next.size(), is(2));
    assertThat(known.withUpdates(List.of(), T0, RETENTION, IDLE_TTL), sameInstance(known));
  }

  @Test
  void publishedStatusesAreAnImmutableCopy() {
    KnownBatches known = update(KnownBatches.EMPTY, "b1", BatchStatus.STARTED, T0);
    PublishedStatuses published = known.published();
    known = update(known, "b1", BatchStatus.SEND_COMPLETED, T0);
    known = update(known, "b2", BatchStatus.STARTED, T0);
    assertThat(published, is(new PublishedStatuses(1, Map.of("b1", BatchStatus.STARTED))));
    assertThrows(UnsupportedOperationException.class, () -> published.statuses().put("x", BatchStatus.FAILED));
    assertThat(published.statusOf("b2"), nullValue());
    assertThat(known.published().statusOf("b2"), is(BatchStatus.STARTED));
  }

  @Test
  void publishedStatusesCopyTheirMap() {
    Map<String, BatchStatus> statuses = new HashMap<>(Map.of("b1", BatchStatus.STARTED));
    PublishedStatuses published = new PublishedStatuses(7, statuses);
    statuses.put("b2", BatchStatus.FAILED);
    assertThat(published.statuses(), is(Map.of("b1", BatchStatus.STARTED)));
    assertThat(published.version(), is(7L));
    assertThat(PublishedStatuses.EMPTY.version(), is(0L));
    assertThat(PublishedStatuses.EMPTY.statuses(), is(anEmptyMap()));
    assertThat(PublishedStatuses.EMPTY.statusOf("b1"), nullValue());
  }

  @Test
  void coderKeepsStatusesTimesAndVersion() throws Exception {
    KnownBatches known = update(KnownBatches.EMPTY, "done", BatchStatus.COMPLETED, T0);
    known = update(known, "open", BatchStatus.STARTED, T0.plus(Duration.ofMinutes(30)));
    known = update(known, "中文", BatchStatus.SEND_COMPLETED, T0);

    KnownBatches decoded = CoderUtils.clone(new KnownBatches.Coder(), known);
    assertThat(decoded.version(), is(3L));
    assertThat(decoded.published(), is(known.published()));
    // Update times survive: the final batch is pruned at T0+1h+1ms, the others are kept.
    decoded = prune(decoded, T0.plus(RETENTION).plusMillis(1));
    assertThat(
        decoded.published(),
        is(new PublishedStatuses(4, Map.of("open", BatchStatus.STARTED, "中文", BatchStatus.SEND_COMPLETED))));
    assertThat(changed(decoded, update(decoded, "open", BatchStatus.SEND_COMPLETED, T0)), is(true));
    assertThat(changed(decoded, update(decoded, "中文", BatchStatus.STARTED, T0)), is(false));
  }

  @Test
  void publishedStatusesCoderRoundTrips() throws Exception {
    PublishedStatuses.Coder coder = PublishedStatuses.Coder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, PublishedStatuses.EMPTY);
    CoderProperties.coderDecodeEncodeEqual(
        coder,
        new PublishedStatuses(
            42, Map.of("a", BatchStatus.STARTED, "b", BatchStatus.SEND_COMPLETED, "中文", BatchStatus.TERMINATED)));
    CoderProperties.coderSerializable(coder);
  }
}

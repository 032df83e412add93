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

/** The per-batch status registry behind the batch status side input (spec §8.7). */
class BatchStatusRegistryTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final Duration IDLE_TTL = Duration.ofDays(7);

  /** One update as of {@code now}, then the pruning that comes with it. */
  private static BatchStatusRegistry update(BatchStatusRegistry registry, String batchId, BatchStatus status, Instant now) {
    return registry.withUpdates(List.of(KV.of(batchId, status)), now, RETENTION, IDLE_TTL);
  }

  private static BatchStatusRegistry prune(BatchStatusRegistry registry, Instant now, Duration retention, Duration ttl) {
    return registry.withUpdates(List.of(), now, retention, ttl);
  }

  private static BatchStatusRegistry prune(BatchStatusRegistry registry, Instant now) {
    return prune(registry, now, RETENTION, IDLE_TTL);
  }

  /** Whether the step from {@code before} to {@code after} changed a status: the version grows by one. */
  private static boolean changed(BatchStatusRegistry before, BatchStatusRegistry after) {
    assertThat(after.version() - before.version(), is(either(is(0L)).or(is(1L))));
    return after.version() > before.version();
  }

  @Test
  void newRegistryIsEmpty() {
    BatchStatusRegistry registry = BatchStatusRegistry.EMPTY;
    assertThat(registry.version(), is(0L));
    assertThat(registry.size(), is(0));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(0, Map.of())));
  }

  @Test
  void statusesMoveForward() {
    BatchStatusRegistry registry = BatchStatusRegistry.EMPTY;
    BatchStatusRegistry next = update(registry, "b1", BatchStatus.STARTED, T0);
    assertThat(changed(registry, next), is(true));
    assertThat(next.version(), is(1L));
    registry = next;
    next = update(registry, "b1", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1));
    assertThat(changed(registry, next), is(true));
    assertThat(next.version(), is(2L));
    registry = next;
    next = update(registry, "b1", BatchStatus.COMPLETED, T0.plusSeconds(2));
    assertThat(changed(registry, next), is(true));
    assertThat(next.version(), is(3L));
    registry = next;
    // The Management API allows completed -> failed.
    next = update(registry, "b1", BatchStatus.FAILED, T0.plusSeconds(3));
    assertThat(changed(registry, next), is(true));
    assertThat(next.version(), is(4L));
    assertThat(next.snapshot(), is(new BatchStatusSnapshot(4, Map.of("b1", BatchStatus.FAILED))));
  }

  @Test
  void statusesNeverMoveBack() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.SEND_COMPLETED, T0);
    BatchStatusRegistry next = update(registry, "b1", BatchStatus.STARTED, T0.plusSeconds(1));
    assertThat(changed(registry, next), is(false));
    assertThat(next, sameInstance(registry)); // nothing at all changed: the tracker writes nothing back
    assertThat(next.version(), is(1L));
    assertThat(next.snapshot().statusOf("b1"), is(BatchStatus.SEND_COMPLETED));

    registry = update(next, "b2", BatchStatus.TERMINATED, T0);
    assertThat(changed(registry, update(registry, "b2", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1))), is(false));
    assertThat(changed(registry, update(registry, "b2", BatchStatus.COMPLETED, T0.plusSeconds(1))), is(false));
    assertThat(changed(registry, update(registry, "b2", BatchStatus.STARTED, T0.plusSeconds(1))), is(false));

    registry = update(registry, "b3", BatchStatus.COMPLETED, T0);
    assertThat(changed(registry, update(registry, "b3", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1))), is(false));

    assertThat(registry.version(), is(3L));
    assertThat(
        registry.snapshot(),
        is(
            new BatchStatusSnapshot(
                3,
                Map.of(
                    "b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.TERMINATED, "b3", BatchStatus.COMPLETED))));
  }

  @Test
  void sameStatusAgainRefreshesTheEntryWithoutANewSnapshot() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.STARTED, T0);
    BatchStatusRegistry refreshed = update(registry, "b1", BatchStatus.STARTED, T0.plus(Duration.ofDays(5)));
    assertThat(changed(registry, refreshed), is(false));
    assertThat(refreshed.version(), is(1L));
    // Idle time counts from the latest notification: 8 days after the first, 3 after the second.
    assertThat(prune(refreshed, T0.plus(Duration.ofDays(8))).snapshot().statusOf("b1"), is(BatchStatus.STARTED));
    // The registry before the refresh is unchanged: there the batch idled out.
    assertThat(prune(registry, T0.plus(Duration.ofDays(8))).snapshot().statusOf("b1"), nullValue());
  }

  @Test
  void finalBatchesArePrunedAfterTheRetention() {
    BatchStatusRegistry registry = BatchStatusRegistry.EMPTY;
    registry = update(registry, "completed", BatchStatus.COMPLETED, T0);
    registry = update(registry, "terminated", BatchStatus.TERMINATED, T0);
    registry = update(registry, "failed", BatchStatus.FAILED, T0);
    registry = update(registry, "started", BatchStatus.STARTED, T0);
    registry = update(registry, "sendCompleted", BatchStatus.SEND_COMPLETED, T0);
    assertThat(registry.version(), is(5L));

    BatchStatusRegistry kept = prune(registry, T0.plus(RETENTION));
    assertThat(kept, sameInstance(registry));
    assertThat(kept.size(), is(5));
    assertThat(kept.version(), is(5L));

    BatchStatusRegistry pruned = prune(kept, T0.plus(RETENTION).plusMillis(1));
    assertThat(pruned.version(), is(6L));
    assertThat(
        pruned.snapshot(),
        is(
            new BatchStatusSnapshot(
                6, Map.of("started", BatchStatus.STARTED, "sendCompleted", BatchStatus.SEND_COMPLETED))));
    assertThat(kept.size(), is(5));
  }

  @Test
  void retentionCountsFromTheFinalStatus() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.SEND_COMPLETED, T0);
    registry = update(registry, "b1", BatchStatus.COMPLETED, T0.plus(Duration.ofMinutes(50)));
    registry = prune(registry, T0.plus(Duration.ofMinutes(100)));
    assertThat(registry.snapshot().statusOf("b1"), is(BatchStatus.COMPLETED));
    registry = prune(registry, T0.plus(Duration.ofMinutes(111)));
    assertThat(registry.snapshot().statusOf("b1"), nullValue());
  }

  @Test
  void idleBatchesArePrunedAfterTheTtl() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "idle", BatchStatus.STARTED, T0);
    registry = update(registry, "active", BatchStatus.STARTED, T0);
    registry = update(registry, "active", BatchStatus.SEND_COMPLETED, T0.plus(Duration.ofDays(6)));
    assertThat(registry.version(), is(3L));

    registry = prune(registry, T0.plus(IDLE_TTL));
    assertThat(registry.size(), is(2));
    assertThat(registry.version(), is(3L));

    registry = prune(registry, T0.plus(IDLE_TTL).plusMillis(1));
    assertThat(registry.version(), is(4L));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(4, Map.of("active", BatchStatus.SEND_COMPLETED))));

    registry = prune(registry, T0.plus(Duration.ofDays(13)).plusMillis(1));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(5, Map.of())));
  }

  @Test
  void finalBatchesUseTheRetentionEvenWhenItIsLongerThanTheTtl() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "done", BatchStatus.COMPLETED, T0);
    registry = update(registry, "open", BatchStatus.STARTED, T0);
    registry = prune(registry, T0.plus(Duration.ofHours(2)), Duration.ofDays(1), Duration.ofHours(1));
    assertThat(registry.snapshot().statuses(), is(Map.of("done", BatchStatus.COMPLETED)));
  }

  @Test
  void pruningNothingKeepsTheVersion() {
    BatchStatusRegistry registry = prune(BatchStatusRegistry.EMPTY, T0);
    assertThat(registry.version(), is(0L));
    registry = update(registry, "b1", BatchStatus.STARTED, T0);
    registry = prune(registry, T0.plusSeconds(10));
    assertThat(registry.version(), is(1L));
  }

  @Test
  void aPrunedBatchCanComeBackWithAnyStatus() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.COMPLETED, T0);
    registry = prune(registry, T0.plus(Duration.ofHours(2)));
    assertThat(registry.size(), is(0));
    BatchStatusRegistry back = update(registry, "b1", BatchStatus.STARTED, T0.plus(Duration.ofHours(3)));
    assertThat(changed(registry, back), is(true));
    assertThat(back.snapshot(), is(new BatchStatusSnapshot(3, Map.of("b1", BatchStatus.STARTED))));
  }

  @Test
  void versionsGrowWithEveryChange() {
    BatchStatusRegistry registry = BatchStatusRegistry.EMPTY;
    long last = registry.version();
    String[] ids = {"a", "b", "c"};
    for (BatchStatus status : BatchStatus.values()) {
      for (String id : ids) {
        BatchStatusRegistry next = update(registry, id, status, T0);
        boolean statusChanged = registry.snapshot().statusOf(id) != next.snapshot().statusOf(id);
        assertThat(next.version() > last, is(statusChanged));
        last = next.version();
        registry = next;
      }
    }
  }

  /** One interval's updates at once give the same registry, versions included, as one update at a time. */
  @Test
  void manyUpdatesAtOnceAreAppliedInOneStep() {
    List<KV<String, BatchStatus>> updates = List.of(
        KV.of("b1", BatchStatus.STARTED), KV.of("b2", BatchStatus.SEND_COMPLETED), KV.of("b1", BatchStatus.STARTED),
        KV.of("b1", BatchStatus.SEND_COMPLETED), KV.of("b2", BatchStatus.STARTED), KV.of("old", BatchStatus.FAILED),
        KV.of("b3", BatchStatus.TERMINATED));
    BatchStatusRegistry start = update(BatchStatusRegistry.EMPTY, "old", BatchStatus.COMPLETED, T0);
    Instant now = T0.plusSeconds(1);

    BatchStatusRegistry atOnce = start.withUpdates(updates, now, RETENTION, IDLE_TTL);
    BatchStatusRegistry oneByOne = start;
    for (KV<String, BatchStatus> u : updates) {
      oneByOne = update(oneByOne, u.getKey(), u.getValue(), now);
    }
    // 5 status changes: b1 twice, b2, old, b3.
    assertThat(atOnce.version(), is(6L));
    assertThat(atOnce.snapshot(), is(oneByOne.snapshot()));
    assertThat(
        atOnce.snapshot().statuses(),
        is(Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.SEND_COMPLETED, "old", BatchStatus.FAILED,
            "b3", BatchStatus.TERMINATED)));
    // An update and pruning (the final "old" and "b3") in one step: one each.
    BatchStatusRegistry pruned = atOnce.withUpdates(
        List.of(KV.of("b4", BatchStatus.STARTED)), now.plus(RETENTION).plusSeconds(1), RETENTION, IDLE_TTL);
    assertThat(pruned.version(), is(8L));
    assertThat(pruned.snapshot().statuses(),
        is(Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.SEND_COMPLETED, "b4", BatchStatus.STARTED)));
  }

  /** Flink's heap state backend may be serializing the registry read from state while the next is built. */
  @Test
  void updatesLeaveTheRegistryTheyStartFromAsItWas() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.STARTED, T0);
    BatchStatusSnapshot before = registry.snapshot();
    BatchStatusRegistry next = registry.withUpdates(
        List.of(KV.of("b1", BatchStatus.SEND_COMPLETED), KV.of("b2", BatchStatus.STARTED)), T0, RETENTION, IDLE_TTL);
    BatchStatusRegistry pruned = prune(next, T0.plus(Duration.ofDays(8)));

    assertThat(registry.snapshot(), is(before));
    assertThat(registry.size(), is(1));
    assertThat(next.snapshot(), is(new BatchStatusSnapshot(3, Map.of("b1", BatchStatus.SEND_COMPLETED, "b2", BatchStatus.STARTED))));
    assertThat(pruned.snapshot(), is(new BatchStatusSnapshot(4, Map.of())));
    assertThat(next.size(), is(2));
    assertThat(registry.withUpdates(List.of(), T0, RETENTION, IDLE_TTL), sameInstance(registry));
  }

  @Test
  void snapshotIsAnImmutableCopy() {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "b1", BatchStatus.STARTED, T0);
    BatchStatusSnapshot snapshot = registry.snapshot();
    registry = update(registry, "b1", BatchStatus.SEND_COMPLETED, T0);
    registry = update(registry, "b2", BatchStatus.STARTED, T0);
    assertThat(snapshot, is(new BatchStatusSnapshot(1, Map.of("b1", BatchStatus.STARTED))));
    assertThrows(UnsupportedOperationException.class, () -> snapshot.statuses().put("x", BatchStatus.FAILED));
    assertThat(snapshot.statusOf("b2"), nullValue());
    assertThat(registry.snapshot().statusOf("b2"), is(BatchStatus.STARTED));
  }

  @Test
  void snapshotCopiesItsMap() {
    Map<String, BatchStatus> statuses = new HashMap<>(Map.of("b1", BatchStatus.STARTED));
    BatchStatusSnapshot snapshot = new BatchStatusSnapshot(7, statuses);
    statuses.put("b2", BatchStatus.FAILED);
    assertThat(snapshot.statuses(), is(Map.of("b1", BatchStatus.STARTED)));
    assertThat(snapshot.version(), is(7L));
    assertThat(BatchStatusSnapshot.EMPTY.version(), is(0L));
    assertThat(BatchStatusSnapshot.EMPTY.statuses(), is(anEmptyMap()));
    assertThat(BatchStatusSnapshot.EMPTY.statusOf("b1"), nullValue());
  }

  @Test
  void registryCoderKeepsStatusesTimesAndVersion() throws Exception {
    BatchStatusRegistry registry = update(BatchStatusRegistry.EMPTY, "done", BatchStatus.COMPLETED, T0);
    registry = update(registry, "open", BatchStatus.STARTED, T0.plus(Duration.ofMinutes(30)));
    registry = update(registry, "中文", BatchStatus.SEND_COMPLETED, T0);

    BatchStatusRegistry decoded = CoderUtils.clone(new BatchStatusRegistry.Coder(), registry);
    assertThat(decoded.version(), is(3L));
    assertThat(decoded.snapshot(), is(registry.snapshot()));
    // Update times survive: the final batch is pruned at T0+1h+1ms, the others are kept.
    decoded = prune(decoded, T0.plus(RETENTION).plusMillis(1));
    assertThat(
        decoded.snapshot(),
        is(new BatchStatusSnapshot(4, Map.of("open", BatchStatus.STARTED, "中文", BatchStatus.SEND_COMPLETED))));
    assertThat(changed(decoded, update(decoded, "open", BatchStatus.SEND_COMPLETED, T0)), is(true));
    assertThat(changed(decoded, update(decoded, "中文", BatchStatus.STARTED, T0)), is(false));
  }

  @Test
  void snapshotCoderRoundTrips() throws Exception {
    BatchStatusSnapshot.Coder coder = BatchStatusSnapshot.Coder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, BatchStatusSnapshot.EMPTY);
    CoderProperties.coderDecodeEncodeEqual(
        coder,
        new BatchStatusSnapshot(
            42, Map.of("a", BatchStatus.STARTED, "b", BatchStatus.SEND_COMPLETED, "中文", BatchStatus.TERMINATED)));
    CoderProperties.coderSerializable(coder);
  }
}

package org.hri.pipeline.batches;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;

/** The per-batch status registry behind the batch status side input (spec §8.7). */
class BatchStatusRegistryTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final Duration IDLE_TTL = Duration.ofDays(7);

  @Test
  void newRegistryIsEmpty() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    assertThat(registry.version(), is(0L));
    assertThat(registry.size(), is(0));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(0, Map.of())));
  }

  @Test
  void statusesMoveForward() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    assertThat(registry.update("b1", BatchStatus.STARTED, T0), is(true));
    assertThat(registry.version(), is(1L));
    assertThat(registry.update("b1", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1)), is(true));
    assertThat(registry.version(), is(2L));
    assertThat(registry.update("b1", BatchStatus.COMPLETED, T0.plusSeconds(2)), is(true));
    assertThat(registry.version(), is(3L));
    // The Management API allows completed -> failed.
    assertThat(registry.update("b1", BatchStatus.FAILED, T0.plusSeconds(3)), is(true));
    assertThat(registry.version(), is(4L));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(4, Map.of("b1", BatchStatus.FAILED))));
  }

  @Test
  void statusesNeverMoveBack() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("b1", BatchStatus.SEND_COMPLETED, T0);
    assertThat(registry.update("b1", BatchStatus.STARTED, T0.plusSeconds(1)), is(false));
    assertThat(registry.version(), is(1L));
    assertThat(registry.snapshot().statusOf("b1"), is(BatchStatus.SEND_COMPLETED));

    registry.update("b2", BatchStatus.TERMINATED, T0);
    assertThat(registry.update("b2", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1)), is(false));
    assertThat(registry.update("b2", BatchStatus.COMPLETED, T0.plusSeconds(1)), is(false));
    assertThat(registry.update("b2", BatchStatus.STARTED, T0.plusSeconds(1)), is(false));

    registry.update("b3", BatchStatus.COMPLETED, T0);
    assertThat(registry.update("b3", BatchStatus.SEND_COMPLETED, T0.plusSeconds(1)), is(false));

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
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("b1", BatchStatus.STARTED, T0);
    assertThat(registry.update("b1", BatchStatus.STARTED, T0.plus(Duration.ofDays(5))), is(false));
    assertThat(registry.version(), is(1L));
    // Idle time counts from the latest notification: 8 days after the first, 3 after the second.
    registry.prune(T0.plus(Duration.ofDays(8)), RETENTION, IDLE_TTL);
    assertThat(registry.snapshot().statusOf("b1"), is(BatchStatus.STARTED));
  }

  @Test
  void finalBatchesArePrunedAfterTheRetention() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("completed", BatchStatus.COMPLETED, T0);
    registry.update("terminated", BatchStatus.TERMINATED, T0);
    registry.update("failed", BatchStatus.FAILED, T0);
    registry.update("started", BatchStatus.STARTED, T0);
    registry.update("sendCompleted", BatchStatus.SEND_COMPLETED, T0);
    assertThat(registry.version(), is(5L));

    registry.prune(T0.plus(RETENTION), RETENTION, IDLE_TTL);
    assertThat(registry.size(), is(5));
    assertThat(registry.version(), is(5L));

    registry.prune(T0.plus(RETENTION).plusMillis(1), RETENTION, IDLE_TTL);
    assertThat(registry.version(), is(6L));
    assertThat(
        registry.snapshot(),
        is(
            new BatchStatusSnapshot(
                6, Map.of("started", BatchStatus.STARTED, "sendCompleted", BatchStatus.SEND_COMPLETED))));
  }

  @Test
  void retentionCountsFromTheFinalStatus() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("b1", BatchStatus.SEND_COMPLETED, T0);
    registry.update("b1", BatchStatus.COMPLETED, T0.plus(Duration.ofMinutes(50)));
    registry.prune(T0.plus(Duration.ofMinutes(100)), RETENTION, IDLE_TTL);
    assertThat(registry.snapshot().statusOf("b1"), is(BatchStatus.COMPLETED));
    registry.prune(T0.plus(Duration.ofMinutes(111)), RETENTION, IDLE_TTL);
    assertThat(registry.snapshot().statusOf("b1"), nullValue());
  }

  @Test
  void idleBatchesArePrunedAfterTheTtl() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("idle", BatchStatus.STARTED, T0);
    registry.update("active", BatchStatus.STARTED, T0);
    registry.update("active", BatchStatus.SEND_COMPLETED, T0.plus(Duration.ofDays(6)));
    assertThat(registry.version(), is(3L));

    registry.prune(T0.plus(IDLE_TTL), RETENTION, IDLE_TTL);
    assertThat(registry.size(), is(2));
    assertThat(registry.version(), is(3L));

    registry.prune(T0.plus(IDLE_TTL).plusMillis(1), RETENTION, IDLE_TTL);
    assertThat(registry.version(), is(4L));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(4, Map.of("active", BatchStatus.SEND_COMPLETED))));

    registry.prune(T0.plus(Duration.ofDays(13)).plusMillis(1), RETENTION, IDLE_TTL);
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(5, Map.of())));
  }

  @Test
  void finalBatchesUseTheRetentionEvenWhenItIsLongerThanTheTtl() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("done", BatchStatus.COMPLETED, T0);
    registry.update("open", BatchStatus.STARTED, T0);
    registry.prune(T0.plus(Duration.ofHours(2)), Duration.ofDays(1), Duration.ofHours(1));
    assertThat(registry.snapshot().statuses(), is(Map.of("done", BatchStatus.COMPLETED)));
  }

  @Test
  void pruningNothingKeepsTheVersion() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.prune(T0, RETENTION, IDLE_TTL);
    assertThat(registry.version(), is(0L));
    registry.update("b1", BatchStatus.STARTED, T0);
    registry.prune(T0.plusSeconds(10), RETENTION, IDLE_TTL);
    assertThat(registry.version(), is(1L));
  }

  @Test
  void aPrunedBatchCanComeBackWithAnyStatus() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("b1", BatchStatus.COMPLETED, T0);
    registry.prune(T0.plus(Duration.ofHours(2)), RETENTION, IDLE_TTL);
    assertThat(registry.size(), is(0));
    assertThat(registry.update("b1", BatchStatus.STARTED, T0.plus(Duration.ofHours(3))), is(true));
    assertThat(registry.snapshot(), is(new BatchStatusSnapshot(3, Map.of("b1", BatchStatus.STARTED))));
  }

  @Test
  void versionsGrowWithEveryChange() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    long last = registry.version();
    String[] ids = {"a", "b", "c"};
    for (BatchStatus status : BatchStatus.values()) {
      for (String id : ids) {
        boolean changed = registry.update(id, status, T0);
        assertThat(registry.version() > last, is(changed));
        last = registry.version();
      }
    }
  }

  @Test
  void snapshotIsAnImmutableCopy() {
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("b1", BatchStatus.STARTED, T0);
    BatchStatusSnapshot snapshot = registry.snapshot();
    registry.update("b1", BatchStatus.SEND_COMPLETED, T0);
    registry.update("b2", BatchStatus.STARTED, T0);
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
    BatchStatusRegistry registry = new BatchStatusRegistry();
    registry.update("done", BatchStatus.COMPLETED, T0);
    registry.update("open", BatchStatus.STARTED, T0.plus(Duration.ofMinutes(30)));
    registry.update("中文", BatchStatus.SEND_COMPLETED, T0);

    BatchStatusRegistry decoded = CoderUtils.clone(new BatchStatusRegistry.Coder(), registry);
    assertThat(decoded.version(), is(3L));
    assertThat(decoded.snapshot(), is(registry.snapshot()));
    // Update times survive: the final batch is pruned at T0+1h+1ms, the others are kept.
    decoded.prune(T0.plus(RETENTION).plusMillis(1), RETENTION, IDLE_TTL);
    assertThat(
        decoded.snapshot(),
        is(new BatchStatusSnapshot(4, Map.of("open", BatchStatus.STARTED, "中文", BatchStatus.SEND_COMPLETED))));
    assertThat(decoded.update("open", BatchStatus.SEND_COMPLETED, T0), is(true));
    assertThat(decoded.update("中文", BatchStatus.STARTED, T0), is(false));
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

package org.hri.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hri.testing.FlinkRest;

/**
 * A Flink run's failed checkpoints and restarts, from Flink's own statistics (its REST API): a run with any is a
 * failed run, whatever its speed. Checkpoints Flink counts as failed while the job starts (triggered before its
 * tasks are deployed, or declined by a source task that finishes) are kept apart as {@code startupFailed}; see
 * {@link FlinkRest#awaitSteady}.
 */
record FlinkHealth(long failedCheckpoints, long restarts, long startupFailed) {
  private static final Duration STEADY_DEADLINE = Duration.ofMinutes(2);
  private static final Duration READ_DEADLINE = Duration.ofSeconds(60);

  boolean clean() {
    return failedCheckpoints == 0 && restarts == 0;
  }

  /** "0 / 0": failed checkpoints / restarts, as the table shows them. */
  String cell() {
    return failedCheckpoints + " / " + restarts;
  }

  /** Watches one embedded Flink job from its start: the steady point is awaited in the background. */
  static final class Watch {
    private final FlinkRest flink;
    private final CompletableFuture<FlinkRest.JobStats> steady;

    Watch(FlinkRest flink) {
      this.flink = flink;
      this.steady = CompletableFuture.supplyAsync(() -> flink.awaitSteady(STEADY_DEADLINE));
    }

    /** The run's health so far: checkpoints taken after this call are counted too. */
    FlinkHealth read() throws InterruptedException, ExecutionException, TimeoutException {
      FlinkRest.JobStats start = steady.get(STEADY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      FlinkRest.JobStats end = flink.readAfter(flink.read(READ_DEADLINE), READ_DEADLINE);
      return new FlinkHealth(end.failedCheckpoints() - start.failedCheckpoints(), end.restarts(),
          start.failedCheckpoints());
    }

    /** For a run that failed otherwise: what Flink counted, or why it could not be read. */
    String describe() {
      try {
        return "Flink: " + flink.read(Duration.ofSeconds(5));
      } catch (RuntimeException | AssertionError e) {
        return "Flink's statistics unreadable (" + e.getMessage() + ")";
      }
    }
  }
}

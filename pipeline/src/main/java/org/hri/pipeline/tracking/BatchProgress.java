package org.hri.pipeline.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;

/**
 * What the tracker knows of one batch — valid and invalid counts, the latest notification, whether a verdict
 * was given — and the rules that turn it into a verdict, with the threshold meaning "reaches".
 * Plain Java: the Beam DoFn only stores it and acts on its {@link Decision}s.
 *
 * <p>An immutable value: it lives in Beam state, and Flink's heap state backend may be serializing the stored
 * object in an asynchronous snapshot while the job goes on. Each event gives a {@link Decision} that carries
 * the next progress, for the DoFn to write back.
 */
public final class BatchProgress {
  /** A batch the tracker has heard nothing of. */
  public static final BatchProgress EMPTY = new BatchProgress(0, 0, null, false);

  private final long valid;
  private final long invalid;
  private final BatchNotification notification;
  private final boolean finished;

  private BatchProgress(long valid, long invalid, BatchNotification notification, boolean finished) {
    this.valid = valid;
    this.invalid = invalid;
    this.notification = notification;
    this.finished = finished;
  }

  /** What the tracker does after an event, and the batch's progress after it. */
  public record Decision(Action action, BatchNotification verdict, BatchProgress next) {
    static Decision none(BatchProgress next) {
      return new Decision(Action.NONE, null, next);
    }

    static Decision armCompletion(BatchProgress next) {
      return new Decision(Action.ARM_COMPLETION_TIMER, null, next);
    }
  }

  public enum Action {
    NONE,
    /** The counts match: complete the batch if nothing changes for the completion delay. */
    ARM_COMPLETION_TIMER,
    /** Send the verdict (COMPLETED or FAILED); the batch is finished. */
    EMIT
  }

  public Decision add(BatchCounts counts) {
    return new BatchProgress(valid + counts.valid(), invalid + counts.invalid(), notification, finished).check();
  }

  /** Keeps the notification unless it would move the batch's status back (out-of-order delivery). */
  public Decision update(BatchNotification latest) {
    boolean newer = notification == null || latest.status().supersedes(notification.status());
    return (newer ? new BatchProgress(valid, invalid, latest, finished) : this).check();
  }

  /** The completion delay has passed: complete the batch if its counts still match. */
  public Decision completionDue() {
    return !finished && countsMatch() ? finish(BatchStatus.COMPLETED, null) : Decision.none(this);
  }

  private Decision check() {
    // A batch the Management API already closed gets no verdict from here (it allows completed -> failed).
    if (notification == null || finished || notification.status().isFinal()) {
      return Decision.none(this);
    }
    long threshold = notification.invalidThreshold();
    if (threshold > BatchNotification.NO_THRESHOLD && invalid >= threshold) {
      return finish(
          BatchStatus.FAILED,
          "Failing Batch: " + notification.id() + ", too many invalid records invalidCount: " + invalid
              + " >= invalidThreshold: " + threshold);
    }
    if (countsMatch()) {
      return Decision.armCompletion(this);
    }
    Long expected = notification.expectedCount();
    if (notification.status() == BatchStatus.SEND_COMPLETED && expected != null && total() > expected) {
      return finish(
          BatchStatus.FAILED,
          "Failing batch: " + notification.id() + ", received too many records, actualRecordCount: " + total()
              + " > expectedRecordCount: " + expected);
    }
    return Decision.none(this);
  }

  private boolean countsMatch() {
    return notification != null
        && notification.status() == BatchStatus.SEND_COMPLETED
        && notification.expectedCount() != null
        && total() == notification.expectedCount();
  }

  private Decision finish(BatchStatus verdict, String failureMessage) {
    return new Decision(
        Action.EMIT,
        notification.withVerdict(verdict, total(), invalid, failureMessage, notification.endDate()),
        new BatchProgress(valid, invalid, notification, true));
  }

  public long valid() {
    return valid;
  }

  public long invalid() {
    return invalid;
  }

  public long total() {
    return valid + invalid;
  }

  public boolean finished() {
    return finished;
  }

  public BatchNotification notification() {
    return notification;
  }

  /** Coder used to keep progress in Beam state. */
  public static final class Coder extends AtomicCoder<BatchProgress> {
    private static final NullableCoder<BatchNotification> NOTIFICATION =
        NullableCoder.of(org.hri.pipeline.model.BatchNotificationCoder.of());

    @Override
    public void encode(BatchProgress value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.valid, out);
      VarLongCoder.of().encode(value.invalid, out);
      BooleanCoder.of().encode(value.finished, out);
      NOTIFICATION.encode(value.notification, out);
    }

    @Override
    public BatchProgress decode(InputStream in) throws IOException {
      long valid = VarLongCoder.of().decode(in);
      long invalid = VarLongCoder.of().decode(in);
      boolean finished = BooleanCoder.of().decode(in);
      return new BatchProgress(valid, invalid, NOTIFICATION.decode(in), finished);
    }
  }
}

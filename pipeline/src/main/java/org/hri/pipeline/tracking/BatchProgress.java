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
 * was given — and the rules that turn it into a verdict (spec §5.3, with the threshold meaning "reaches").
 * Plain Java: the Beam DoFn only stores it and acts on its {@link Decision}s.
 */
public final class BatchProgress {
  private long valid;
  private long invalid;
  private BatchNotification notification;
  private boolean finished;

  /** What the tracker does after an event. */
  public record Decision(Action action, BatchNotification verdict) {
    static final Decision NONE = new Decision(Action.NONE, null);
    static final Decision ARM_COMPLETION = new Decision(Action.ARM_COMPLETION_TIMER, null);
  }

  public enum Action {
    NONE,
    /** The counts match: complete the batch if nothing changes for the completion delay. */
    ARM_COMPLETION_TIMER,
    /** Send the verdict (COMPLETED or FAILED); the batch is finished. */
    EMIT
  }

  public Decision add(BatchCounts counts) {
    valid += counts.valid();
    invalid += counts.invalid();
    return check();
  }

  /** Keeps the notification unless it would move the batch's status back (out-of-order delivery). */
  public Decision update(BatchNotification latest) {
    if (notification == null || latest.status().supersedes(notification.status())) {
      notification = latest;
    }
    return check();
  }

  /** The completion delay has passed: complete the batch if its counts still match. */
  public Decision completionDue() {
    return !finished && countsMatch() ? finish(BatchStatus.COMPLETED, null) : Decision.NONE;
  }

  private Decision check() {
    // A batch the Management API already closed gets no verdict from here (it allows completed -> failed).
    if (notification == null || finished || notification.status().isFinal()) {
      return Decision.NONE;
    }
    long threshold = notification.invalidThreshold();
    if (threshold > BatchNotification.NO_THRESHOLD && invalid >= threshold) {
      return finish(
          BatchStatus.FAILED,
          "Failing Batch: " + notification.id() + ", too many invalid records invalidCount: " + invalid
              + " >= invalidThreshold: " + threshold);
    }
    if (countsMatch()) {
      return Decision.ARM_COMPLETION;
    }
    Long expected = notification.expectedCount();
    if (notification.status() == BatchStatus.SEND_COMPLETED && expected != null && total() > expected) {
      return finish(
          BatchStatus.FAILED,
          "Failing batch: " + notification.id() + ", received too many records, actualRecordCount: " + total()
              + " > expectedRecordCount: " + expected);
    }
    return Decision.NONE;
  }

  private boolean countsMatch() {
    return notification != null
        && notification.status() == BatchStatus.SEND_COMPLETED
        && notification.expectedCount() != null
        && total() == notification.expectedCount();
  }

  private Decision finish(BatchStatus verdict, String failureMessage) {
    finished = true;
    return new Decision(
        Action.EMIT, notification.withVerdict(verdict, total(), invalid, failureMessage, notification.endDate()));
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
      BatchProgress progress = new BatchProgress();
      progress.valid = VarLongCoder.of().decode(in);
      progress.invalid = VarLongCoder.of().decode(in);
      progress.finished = BooleanCoder.of().decode(in);
      progress.notification = NOTIFICATION.decode(in);
      return progress;
    }
  }
}

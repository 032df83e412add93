package org.hri.pipeline.batches;

import java.time.Duration;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.hri.pipeline.model.BatchNotification;

/**
 * Where validation learns each batch's status: the side input built from the notification stream (the fast
 * path), and the notifications themselves plus an {@link UnknownBatchPolicy} for records the side input does
 * not know yet.
 */
public final class BatchStatuses {
  private final PCollection<BatchNotification> notifications;
  private final PCollectionView<BatchStatusSnapshot> view;
  private final UnknownBatchPolicy policy;

  private BatchStatuses(
      PCollection<BatchNotification> notifications, PCollectionView<BatchStatusSnapshot> view, UnknownBatchPolicy policy) {
    this.notifications = notifications;
    this.view = view;
    this.policy = policy;
  }

  /**
   * Builds the side input from {@code notifications}.
   *
   * @param finalRetention how long a batch stays in the side input after it reached a final status
   */
  public static BatchStatuses from(
      PCollection<BatchNotification> notifications, UnknownBatchPolicy policy, Duration finalRetention) {
    PCollectionView<BatchStatusSnapshot> view =
        notifications.apply("BatchStatusView", BatchStatusView.of(finalRetention, policy.stateTtl()));
    return new BatchStatuses(notifications, view, policy);
  }

  public PCollection<BatchNotification> notifications() {
    return notifications;
  }

  public PCollectionView<BatchStatusSnapshot> view() {
    return view;
  }

  public UnknownBatchPolicy policy() {
    return policy;
  }
}

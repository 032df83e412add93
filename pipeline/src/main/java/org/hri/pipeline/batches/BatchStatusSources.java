package org.hri.pipeline.batches;

import java.time.Duration;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.hri.pipeline.model.BatchNotification;

/**
 * Where validation learns each batch's status: the {@link StatusSideInput side input} built from the
 * notification stream (the fast path), and the notifications themselves plus an {@link UnknownBatchPolicy} for
 * records the side input does not know yet.
 */
public final class BatchStatusSources {
  private final PCollection<BatchNotification> notifications;
  private final PCollectionView<PublishedStatuses> sideInput;
  private final UnknownBatchPolicy policy;

  private BatchStatusSources(
      PCollection<BatchNotification> notifications, PCollectionView<PublishedStatuses> sideInput,
      UnknownBatchPolicy policy) {
    this.notifications = notifications;
    this.sideInput = sideInput;
    this.policy = policy;
  }

  /**
   * Builds the side input from {@code notifications}.
   *
   * @param finalRetention how long a batch stays in the side input after it reached a final status
   */
  public static BatchStatusSources from(
      PCollection<BatchNotification> notifications, UnknownBatchPolicy policy, Duration finalRetention) {
    // The step keeps its name: step names map state across versions of the job (docs/operations.md).
    PCollectionView<PublishedStatuses> sideInput =
        notifications.apply("BatchStatusView", StatusSideInput.of(finalRetention, policy.stateTtl()));
    return new BatchStatusSources(notifications, sideInput, policy);
  }

  public PCollection<BatchNotification> notifications() {
    return notifications;
  }

  public PCollectionView<PublishedStatuses> sideInput() {
    return sideInput;
  }

  public UnknownBatchPolicy policy() {
    return policy;
  }
}

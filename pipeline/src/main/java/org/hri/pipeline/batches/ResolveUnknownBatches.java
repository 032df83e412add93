package org.hri.pipeline.batches;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.model.BatchEvent;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.HriRecord;

/**
 * Resolves records whose batch the side input did not know when they were validated — because the side
 * input lags behind the notification topic, or because the batch is older than what the job has read. Such
 * records are never declared invalid because of lag: they are keyed by batch id and held until the batch's
 * status is known, through its notification or the {@link UnknownBatchPolicy}.
 *
 * <p>Only records on this path are shuffled; records of known batches never are.
 */
public final class ResolveUnknownBatches
    extends PTransform<PCollection<KV<String, HriRecord>>, PCollection<ResolvedRecord>> {
  private final PCollection<BatchNotification> notifications;
  private final UnknownBatchPolicy policy;

  private ResolveUnknownBatches(PCollection<BatchNotification> notifications, UnknownBatchPolicy policy) {
    this.notifications = notifications;
    this.policy = policy;
  }

  public static ResolveUnknownBatches using(
      PCollection<BatchNotification> notifications, UnknownBatchPolicy policy) {
    return new ResolveUnknownBatches(notifications, policy);
  }

  @Override
  public PCollection<ResolvedRecord> expand(PCollection<KV<String, HriRecord>> unresolved) {
    PCollection<KV<String, BatchEvent>> records =
        unresolved
            .apply(
                "Unresolved",
                MapElements.into(BatchEvent.KEYED_TYPE)
                    .via(kv -> KV.of(kv.getKey(), new BatchEvent.Unresolved(kv.getValue()))))
            .setCoder(BatchEvent.keyedCoder());
    return BatchEvent.withNotifications(records, notifications)
        .apply("Resolve", ParDo.of(new ResolveUnknownBatchesFn(policy)))
        .setCoder(ResolvedRecord.Coder.of());
  }
}

package org.hri.pipeline.tracking;

import java.time.Duration;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchEvent;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;

/**
 * Tracks every batch — the single authority for its counts — and gives each batch at most one verdict: a
 * copy of its latest notification with status COMPLETED or FAILED and the counts at that moment.
 *
 * <p>Input: {@link BatchEvent.Counted counts} and {@link BatchEvent.Notified notifications} keyed by batch id
 * (see {@link #events}). A batch completes when, after its
 * {@code sendCompleted} notification, valid + invalid equals the expected count and stays so for the
 * completion delay; it fails when its invalid count reaches the threshold, or when more records than expected
 * arrive after sendCompleted. State is cleared after the state time-to-live without events.
 */
public final class TrackBatches
    extends PTransform<PCollection<KV<String, BatchEvent>>, PCollection<BatchNotification>> {
  private final Duration completionDelay;
  private final Duration stateTtl;

  private TrackBatches(Duration completionDelay, Duration stateTtl) {
    this.completionDelay = completionDelay;
    this.stateTtl = stateTtl;
  }

  public static TrackBatches withCompletionDelay(Duration completionDelay) {
    return new TrackBatches(completionDelay, Duration.ofDays(7));
  }

  /** How long a batch's state is kept after its last event (default 7 days, as the original's TTL). */
  public TrackBatches withStateTtl(Duration ttl) {
    return new TrackBatches(completionDelay, ttl);
  }

  /** Merges validation counts and notifications into the tracker's input. */
  public static PCollection<KV<String, BatchEvent>> events(
      PCollection<KV<String, BatchCounts>> counts, PCollection<BatchNotification> notifications) {
    PCollection<KV<String, BatchEvent>> counted =
        counts
            .apply(
                "Counted",
                MapElements.into(BatchEvent.KEYED_TYPE)
                    .via(kv -> KV.of(kv.getKey(), new BatchEvent.Counted(kv.getValue()))))
            .setCoder(BatchEvent.keyedCoder());
    return BatchEvent.withNotifications(counted, notifications);
  }

  @Override
  public PCollection<BatchNotification> expand(PCollection<KV<String, BatchEvent>> events) {
    return events
        .apply("Track", ParDo.of(new TrackBatchesFn(completionDelay, stateTtl)))
        .setCoder(BatchNotificationCoder.of());
  }
}

package org.hri.pipeline.tracking;

import java.time.Duration;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;

/**
 * Tracks every batch — the single authority for its counts — and gives each batch at most one verdict: a
 * copy of its latest notification with status COMPLETED or FAILED and the counts at that moment.
 *
 * <p>Input: {@link TrackerEvent}s keyed by batch id (see {@link #events}). A batch completes when, after its
 * {@code sendCompleted} notification, valid + invalid equals the expected count and stays so for the
 * completion delay; it fails when its invalid count reaches the threshold, or when more records than expected
 * arrive after sendCompleted. State is cleared after the state time-to-live without events.
 */
public final class TrackBatches
    extends PTransform<PCollection<KV<String, TrackerEvent>>, PCollection<BatchNotification>> {
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
  public static PCollection<KV<String, TrackerEvent>> events(
      PCollection<KV<String, BatchCounts>> counts, PCollection<BatchNotification> notifications) {
    TypeDescriptor<KV<String, TrackerEvent>> type =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(TrackerEvent.class));
    KvCoder<String, TrackerEvent> coder = KvCoder.of(StringUtf8Coder.of(), TrackerEvent.Coder.of());
    PCollection<KV<String, TrackerEvent>> countEvents =
        counts
            .apply("CountEvents", MapElements.into(type).via(kv -> KV.of(kv.getKey(), TrackerEvent.of(kv.getValue()))))
            .setCoder(coder);
    PCollection<KV<String, TrackerEvent>> notificationEvents =
        notifications
            .apply("NotificationEvents", MapElements.into(type).via(n -> KV.of(n.id(), TrackerEvent.of(n))))
            .setCoder(coder);
    return PCollectionList.of(countEvents).and(notificationEvents).apply("TrackerEvents", Flatten.pCollections());
  }

  @Override
  public PCollection<BatchNotification> expand(PCollection<KV<String, TrackerEvent>> events) {
    return events
        .apply("Track", ParDo.of(new TrackBatchesFn(completionDelay, stateTtl)))
        .setCoder(BatchNotificationCoder.of());
  }
}

package org.hri.pipeline.model;

import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Something that happened to one batch, for a step keyed by batch id that merges several streams: the
 * unknown-batch resolver takes {@link Unresolved} records and {@link Notified} notifications, the tracker
 * {@link Counted} counts and notifications.
 */
public sealed interface BatchEvent {
  /** A record whose batch validation did not know (yet). */
  record Unresolved(HriRecord record) implements BatchEvent {
    public Unresolved {
      Objects.requireNonNull(record, "record");
    }
  }

  /** Valid and invalid records of the batch counted by validation. */
  record Counted(BatchCounts counts) implements BatchEvent {
    public Counted {
      Objects.requireNonNull(counts, "counts");
    }
  }

  /** A notification of the batch. */
  record Notified(BatchNotification notification) implements BatchEvent {
    public Notified {
      Objects.requireNonNull(notification, "notification");
    }
  }

  /** The coder of events. */
  SealedCoder<BatchEvent> CODER =
      SealedCoder.of(
          SealedCoder.variant(Unresolved.class, HriRecordCoder.of(), Unresolved::record, Unresolved::new),
          SealedCoder.variant(Counted.class, BatchCounts.Coder.of(), Counted::counts, Counted::new),
          SealedCoder.variant(
              Notified.class, BatchNotificationCoder.of(), Notified::notification, Notified::new));

  /** Events keyed by batch id. */
  TypeDescriptor<KV<String, BatchEvent>> KEYED_TYPE =
      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BatchEvent.class));

  /** The coder of events keyed by batch id. */
  static KvCoder<String, BatchEvent> keyedCoder() {
    return KvCoder.of(StringUtf8Coder.of(), CODER);
  }

  /** {@code events} merged with {@code notifications}, every one keyed by its batch id. */
  static PCollection<KV<String, BatchEvent>> withNotifications(
      PCollection<KV<String, BatchEvent>> events, PCollection<BatchNotification> notifications) {
    PCollection<KV<String, BatchEvent>> notified =
        notifications
            .apply("Notified", MapElements.into(KEYED_TYPE).via(n -> KV.of(n.id(), new Notified(n))))
            .setCoder(keyedCoder());
    return PCollectionList.of(events).and(notified).apply("WithNotifications", Flatten.pCollections());
  }
}

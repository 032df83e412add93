package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.CoderException;
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

  /** Events keyed by batch id. */
  TypeDescriptor<KV<String, BatchEvent>> KEYED_TYPE =
      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BatchEvent.class));

  /** The coder of events keyed by batch id. */
  static KvCoder<String, BatchEvent> keyedCoder() {
    return KvCoder.of(StringUtf8Coder.of(), Coder.of());
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

  /** Encodes an event as a tag byte followed by its content. */
  final class Coder extends AtomicCoder<BatchEvent> {
    private static final Coder INSTANCE = new Coder();
    private static final byte UNRESOLVED = 0;
    private static final byte COUNTED = 1;
    private static final byte NOTIFIED = 2;

    private Coder() {}

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BatchEvent value, OutputStream out) throws IOException {
      if (value instanceof Unresolved unresolved) {
        ByteCoder.of().encode(UNRESOLVED, out);
        HriRecordCoder.of().encode(unresolved.record(), out);
      } else if (value instanceof Counted counted) {
        ByteCoder.of().encode(COUNTED, out);
        BatchCounts.Coder.of().encode(counted.counts(), out);
      } else if (value instanceof Notified notified) {
        ByteCoder.of().encode(NOTIFIED, out);
        BatchNotificationCoder.of().encode(notified.notification(), out);
      } else { // sealed: only null is left
        throw new CoderException("Cannot encode a null batch event");
      }
    }

    @Override
    public BatchEvent decode(InputStream in) throws IOException {
      byte tag = ByteCoder.of().decode(in);
      return switch (tag) {
        case UNRESOLVED -> new Unresolved(HriRecordCoder.of().decode(in));
        case COUNTED -> new Counted(BatchCounts.Coder.of().decode(in));
        case NOTIFIED -> new Notified(BatchNotificationCoder.of().decode(in));
        default -> throw new CoderException("Unknown batch event tag " + tag);
      };
    }
  }
}

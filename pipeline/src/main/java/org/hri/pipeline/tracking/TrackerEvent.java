package org.hri.pipeline.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;

/** One input of the tracker for a batch: counts from validation, or a notification. */
public record TrackerEvent(BatchCounts counts, BatchNotification notification) {
  public static TrackerEvent of(BatchCounts counts) {
    return new TrackerEvent(counts, null);
  }

  public static TrackerEvent of(BatchNotification notification) {
    return new TrackerEvent(null, notification);
  }

  /** Coder for tracker events. */
  public static final class Coder extends AtomicCoder<TrackerEvent> {
    private static final Coder INSTANCE = new Coder();
    private static final byte COUNTS = 0;
    private static final byte NOTIFICATION = 1;

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(TrackerEvent value, OutputStream out) throws IOException {
      if (value.counts != null) {
        ByteCoder.of().encode(COUNTS, out);
        BatchCounts.Coder.of().encode(value.counts, out);
      } else {
        ByteCoder.of().encode(NOTIFICATION, out);
        BatchNotificationCoder.of().encode(value.notification, out);
      }
    }

    @Override
    public TrackerEvent decode(InputStream in) throws IOException {
      return ByteCoder.of().decode(in) == COUNTS
          ? TrackerEvent.of(BatchCounts.Coder.of().decode(in))
          : TrackerEvent.of(BatchNotificationCoder.of().decode(in));
    }
  }
}

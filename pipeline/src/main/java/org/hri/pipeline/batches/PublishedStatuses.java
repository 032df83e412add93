package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/**
 * What the batch status side input publishes, and so what every validation worker knows about batches: the
 * latest status of each batch id. One value per side-input pane; {@code version} grows with every change, so
 * the newest of several values fired together wins.
 */
public record PublishedStatuses(long version, Map<String, BatchStatus> statuses) {
  public static final PublishedStatuses EMPTY = new PublishedStatuses(0, Map.of());

  public PublishedStatuses {
    statuses = Map.copyOf(statuses);
  }

  /** The batch's latest status, or null when these statuses do not know the batch (yet). */
  public BatchStatus statusOf(String batchId) {
    return statuses.get(batchId);
  }

  /** Coder for published statuses. */
  public static final class Coder extends AtomicCoder<PublishedStatuses> {
    private static final Coder INSTANCE = new Coder();
    private static final MapCoder<String, BatchStatus> STATUSES =
        MapCoder.of(StringUtf8Coder.of(), BatchStatusCoder.of());

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PublishedStatuses value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.version, out);
      STATUSES.encode(value.statuses, out);
    }

    @Override
    public PublishedStatuses decode(InputStream in) throws IOException {
      return new PublishedStatuses(VarLongCoder.of().decode(in), STATUSES.decode(in));
    }
  }
}

package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;

/**
 * A record whose batch was not in the side input, with what was found for it: the batch's status (null means
 * unknown), or a {@code rejection} — the failure text of a record of a batch that was given up (quarantined),
 * which makes the record invalid whatever its status.
 */
public record ResolvedRecord(HriRecord record, BatchStatus status, String rejection) {
  static ResolvedRecord withStatus(HriRecord record, BatchStatus status) {
    return new ResolvedRecord(record, status, null);
  }

  static ResolvedRecord rejected(HriRecord record, String rejection) {
    return new ResolvedRecord(record, null, rejection);
  }

  /** Coder for resolved records. */
  public static final class Coder extends AtomicCoder<ResolvedRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<BatchStatus> STATUS = NullableCoder.of(BatchStatusCoder.of());
    private static final NullableCoder<String> REJECTION = NullableCoder.of(StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ResolvedRecord value, OutputStream out) throws IOException {
      HriRecordCoder.of().encode(value.record, out);
      STATUS.encode(value.status, out);
      REJECTION.encode(value.rejection, out);
    }

    @Override
    public ResolvedRecord decode(InputStream in) throws IOException {
      return new ResolvedRecord(HriRecordCoder.of().decode(in), STATUS.decode(in), REJECTION.decode(in));
    }
  }
}

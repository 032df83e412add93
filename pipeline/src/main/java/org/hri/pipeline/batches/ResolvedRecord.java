package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;

/** A record whose batch was not in the side input, with the status found for it; null means unknown. */
public record ResolvedRecord(HriRecord record, BatchStatus status) {

  /** Coder for resolved records. */
  public static final class Coder extends AtomicCoder<ResolvedRecord> {
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<BatchStatus> STATUS = NullableCoder.of(BatchStatusCoder.of());

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ResolvedRecord value, OutputStream out) throws IOException {
      HriRecordCoder.of().encode(value.record, out);
      STATUS.encode(value.status, out);
    }

    @Override
    public ResolvedRecord decode(InputStream in) throws IOException {
      return new ResolvedRecord(HriRecordCoder.of().decode(in), STATUS.decode(in));
    }
  }
}

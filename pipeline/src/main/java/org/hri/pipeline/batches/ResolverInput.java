package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;

/** What reaches the unknown-batch resolver for a batch id: a record to resolve, or the batch's new status. */
record ResolverInput(HriRecord record, BatchStatus status) {
  static ResolverInput of(HriRecord record) {
    return new ResolverInput(record, null);
  }

  static ResolverInput of(BatchStatus status) {
    return new ResolverInput(null, status);
  }

  static final class Coder extends AtomicCoder<ResolverInput> {
    private static final byte RECORD = 0;
    private static final byte STATUS = 1;

    @Override
    public void encode(ResolverInput value, OutputStream out) throws IOException {
      if (value.record != null) {
        ByteCoder.of().encode(RECORD, out);
        HriRecordCoder.of().encode(value.record, out);
      } else {
        ByteCoder.of().encode(STATUS, out);
        BatchStatusCoder.of().encode(value.status, out);
      }
    }

    @Override
    public ResolverInput decode(InputStream in) throws IOException {
      return ByteCoder.of().decode(in) == RECORD
          ? of(HriRecordCoder.of().decode(in))
          : of(BatchStatusCoder.of().decode(in));
    }
  }
}

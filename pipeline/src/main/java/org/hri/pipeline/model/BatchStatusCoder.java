package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Encodes a {@link BatchStatus} by its JSON name, which is stable across releases (its ordinal is not). */
public final class BatchStatusCoder extends AtomicCoder<BatchStatus> {
  private static final BatchStatusCoder INSTANCE = new BatchStatusCoder();

  private BatchStatusCoder() {}

  public static BatchStatusCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BatchStatus value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(value.json(), out);
  }

  @Override
  public BatchStatus decode(InputStream in) throws IOException {
    return BatchStatus.fromJson(StringUtf8Coder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}

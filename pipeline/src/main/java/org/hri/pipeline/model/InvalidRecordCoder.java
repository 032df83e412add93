package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Binary coder for {@link InvalidRecord}. */
public final class InvalidRecordCoder extends AtomicCoder<InvalidRecord> {
  private static final InvalidRecordCoder INSTANCE = new InvalidRecordCoder();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());

  private InvalidRecordCoder() {}

  public static InvalidRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(InvalidRecord value, OutputStream out) throws IOException {
    NULLABLE_STRING.encode(value.batchId(), out);
    StringUtf8Coder.of().encode(value.topic(), out);
    VarIntCoder.of().encode(value.partition(), out);
    VarLongCoder.of().encode(value.offset(), out);
    NULLABLE_STRING.encode(value.failure(), out);
  }

  @Override
  public InvalidRecord decode(InputStream in) throws IOException {
    return new InvalidRecord(
        NULLABLE_STRING.decode(in),
        StringUtf8Coder.of().decode(in),
        VarIntCoder.of().decode(in),
        VarLongCoder.of().decode(in),
        NULLABLE_STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}

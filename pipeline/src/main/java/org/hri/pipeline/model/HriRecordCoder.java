package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact binary coder for {@link HriRecord}: byte payloads are copied once, nulls are kept. */
public final class HriRecordCoder extends AtomicCoder<HriRecord> {
  private static final HriRecordCoder INSTANCE = new HriRecordCoder();
  private static final Coder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<Integer> INT = VarIntCoder.of();
  private static final Coder<Long> LONG = VarLongCoder.of();

  private HriRecordCoder() {}

  public static HriRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(HriRecord record, OutputStream out) throws IOException {
    INT.encode(record.headers().size(), out);
    for (HriHeader header : record.headers()) {
      STRING.encode(header.key(), out);
      BYTES.encode(header.value(), out);
    }
    BYTES.encode(record.key(), out);
    BYTES.encode(record.value(), out);
    STRING.encode(record.topic(), out);
    INT.encode(record.partition(), out);
    LONG.encode(record.offset(), out);
  }

  @Override
  public HriRecord decode(InputStream in) throws IOException {
    int headerCount = INT.decode(in);
    List<HriHeader> headers = new ArrayList<>(headerCount);
    for (int i = 0; i < headerCount; i++) {
      headers.add(new HriHeader(STRING.decode(in), BYTES.decode(in)));
    }
    return new HriRecord(
        headers, BYTES.decode(in), BYTES.decode(in), STRING.decode(in), INT.decode(in), LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}

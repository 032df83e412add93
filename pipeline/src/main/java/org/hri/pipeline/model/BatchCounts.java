package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Valid and invalid records of one batch counted by validation: a delta the tracker adds up. */
public record BatchCounts(long valid, long invalid) {
  public static BatchCounts ofValid(long valid) {
    return new BatchCounts(valid, 0);
  }

  public static BatchCounts ofInvalid(long invalid) {
    return new BatchCounts(0, invalid);
  }

  public long total() {
    return valid + invalid;
  }

  public BatchCounts plus(BatchCounts other) {
    return new BatchCounts(valid + other.valid, invalid + other.invalid);
  }

  /** Binary coder for {@link BatchCounts}. */
  public static final class Coder extends AtomicCoder<BatchCounts> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BatchCounts value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.valid, out);
      VarLongCoder.of().encode(value.invalid, out);
    }

    @Override
    public BatchCounts decode(InputStream in) throws IOException {
      return new BatchCounts(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

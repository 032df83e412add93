package org.hri.pipeline.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;

/** Encodes a {@link BatchNotification} as its JSON, so stored state survives new optional fields. */
public final class BatchNotificationCoder extends AtomicCoder<BatchNotification> {
  private static final BatchNotificationCoder INSTANCE = new BatchNotificationCoder();

  private BatchNotificationCoder() {}

  public static BatchNotificationCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BatchNotification value, OutputStream out) throws IOException {
    ByteArrayCoder.of().encode(value.toJson(), out);
  }

  @Override
  public BatchNotification decode(InputStream in) throws IOException {
    // Bytes this coder wrote from a notification that was checked when it entered the job.
    return Json.mapper().readValue(ByteArrayCoder.of().decode(in), BatchNotification.class);
  }
}

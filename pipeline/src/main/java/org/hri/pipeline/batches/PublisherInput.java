package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/** What the side input's publisher is told: that the job started, or a batch's new status. */
sealed interface PublisherInput {
  /** The job started: publish what is known at once, before any notification arrives. */
  record StartUp() implements PublisherInput {}

  /** A notification said batch {@code batchId} has {@code status}. */
  record StatusUpdate(String batchId, BatchStatus status) implements PublisherInput {}

  /** Encodes an input as a tag byte followed by its content. */
  final class Coder extends AtomicCoder<PublisherInput> {
    private static final byte START_UP = 0;
    private static final byte STATUS_UPDATE = 1;

    @Override
    public void encode(PublisherInput value, OutputStream out) throws IOException {
      if (value instanceof StartUp) {
        ByteCoder.of().encode(START_UP, out);
      } else if (value instanceof StatusUpdate update) {
        ByteCoder.of().encode(STATUS_UPDATE, out);
        StringUtf8Coder.of().encode(update.batchId(), out);
        BatchStatusCoder.of().encode(update.status(), out);
      } else { // sealed: only null is left
        throw new CoderException("Cannot encode a null publisher input");
      }
    }

    @Override
    public PublisherInput decode(InputStream in) throws IOException {
      byte tag = ByteCoder.of().decode(in);
      return switch (tag) {
        case START_UP -> new StartUp();
        case STATUS_UPDATE -> new StatusUpdate(StringUtf8Coder.of().decode(in), BatchStatusCoder.of().decode(in));
        default -> throw new CoderException("Unknown publisher input tag " + tag);
      };
    }
  }
}

package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What the unknown-batch resolver's retry timer is set for, kept in state beside the timer: a batch with
 * neither has nothing scheduled. An immutable value, replaced rather than changed.
 */
sealed interface ResolverTimer {
  /** The hold timeout: when it fires, the records still held are released with their batch unknown. */
  record HoldTimeout() implements ResolverTimer {}

  /** The next lookup, after {@code failedAttempts} failed lookups in a row and {@code waited} in backoffs. */
  record LookupRetry(int failedAttempts, Duration waited) implements ResolverTimer {}

  /** Encodes a timer as a tag byte followed by its content. */
  final class Coder extends AtomicCoder<ResolverTimer> {
    private static final byte HOLD_TIMEOUT = 0;
    private static final byte LOOKUP_RETRY = 1;

    @Override
    public void encode(ResolverTimer value, OutputStream out) throws IOException {
      if (value instanceof HoldTimeout) {
        ByteCoder.of().encode(HOLD_TIMEOUT, out);
      } else if (value instanceof LookupRetry retry) {
        ByteCoder.of().encode(LOOKUP_RETRY, out);
        VarIntCoder.of().encode(retry.failedAttempts(), out);
        VarLongCoder.of().encode(retry.waited().toMillis(), out);
      } else { // sealed: only null is left
        throw new CoderException("Cannot encode a null resolver timer");
      }
    }

    @Override
    public ResolverTimer decode(InputStream in) throws IOException {
      byte tag = ByteCoder.of().decode(in);
      return switch (tag) {
        case HOLD_TIMEOUT -> new HoldTimeout();
        case LOOKUP_RETRY ->
            new LookupRetry(VarIntCoder.of().decode(in), Duration.ofMillis(VarLongCoder.of().decode(in)));
        default -> throw new CoderException("Unknown resolver timer tag " + tag);
      };
    }
  }
}

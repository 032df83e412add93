package org.hri.pipeline.batches;

import java.time.Duration;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.SealedCoder;

/**
 * What the unknown-batch resolver's retry timer is set for, kept in state beside the timer: a batch with
 * neither has nothing scheduled. An immutable value, replaced rather than changed.
 */
sealed interface ResolverTimer {
  /** The hold timeout: when it fires, the records still held are released with their batch unknown. */
  record HoldTimeout() implements ResolverTimer {}

  /** The next lookup, after {@code failedAttempts} failed lookups in a row and {@code waited} in backoffs. */
  record LookupRetry(int failedAttempts, Duration waited) implements ResolverTimer {}

  SealedCoder<ResolverTimer> CODER =
      SealedCoder.of(
          SealedCoder.variant(HoldTimeout.class, VoidCoder.of(), hold -> null, none -> new HoldTimeout()),
          SealedCoder.variant(
              LookupRetry.class, KvCoder.of(VarIntCoder.of(), VarLongCoder.of()),
              retry -> KV.of(retry.failedAttempts(), retry.waited().toMillis()),
              kv -> new LookupRetry(kv.getKey(), Duration.ofMillis(kv.getValue()))));
}

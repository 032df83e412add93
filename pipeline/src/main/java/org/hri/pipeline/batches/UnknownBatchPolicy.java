package org.hri.pipeline.batches;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;

/**
 * How a record whose batch the side input does not know (yet) is resolved: by asking the Management API
 * ({@link #lookup}), or, in standalone mode, by holding it until the batch's notification arrives or a
 * timeout passes ({@link #hold}). Either way the answer is kept per batch for {@code stateTtl}.
 */
public final class UnknownBatchPolicy implements Serializable {
  private final ManagementApiConfig api;
  private final RetryPolicy retry;
  private final Duration holdTimeout;
  private final Duration stateTtl;

  private UnknownBatchPolicy(ManagementApiConfig api, RetryPolicy retry, Duration holdTimeout, Duration stateTtl) {
    this.api = api;
    this.retry = retry;
    this.holdTimeout = holdTimeout;
    this.stateTtl = stateTtl;
  }

  /** Resolve through {@code GET batch}: 404 means unknown, other 4xx fail the job, 5xx and I/O are retried. */
  public static UnknownBatchPolicy lookup(ManagementApiConfig api, RetryPolicy retry, Duration stateTtl) {
    return new UnknownBatchPolicy(
        Objects.requireNonNull(api, "api"), Objects.requireNonNull(retry, "retry"), null, stateTtl);
  }

  /** Hold records until their batch's notification arrives; after {@code holdTimeout} they are unknown. */
  public static UnknownBatchPolicy hold(Duration holdTimeout, Duration stateTtl) {
    return new UnknownBatchPolicy(null, null, Objects.requireNonNull(holdTimeout, "holdTimeout"), stateTtl);
  }

  public boolean usesLookup() {
    return api != null;
  }

  public ManagementApiConfig api() {
    return api;
  }

  public RetryPolicy retry() {
    return retry;
  }

  public Duration holdTimeout() {
    return holdTimeout;
  }

  public Duration stateTtl() {
    return stateTtl;
  }
}

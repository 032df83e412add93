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
  private final String inputTopic;

  private UnknownBatchPolicy(
      ManagementApiConfig api, RetryPolicy retry, Duration holdTimeout, Duration stateTtl, String inputTopic) {
    this.api = api;
    this.inputTopic = inputTopic;
    this.retry = retry;
    this.holdTimeout = holdTimeout;
    this.stateTtl = stateTtl;
  }

  /**
   * Resolve through {@code GET batch} for a job reading {@code inputTopic}: 404 means unknown; another 4xx
   * about the batch, or a batch of another stream, quarantines it; anything else is retried until {@code retry}
   * gives up, which quarantines the batch too.
   */
  public static UnknownBatchPolicy lookup(
      ManagementApiConfig api, RetryPolicy retry, Duration stateTtl, String inputTopic) {
    return new UnknownBatchPolicy(
        Objects.requireNonNull(api, "api"), Objects.requireNonNull(retry, "retry"), null, stateTtl,
        Objects.requireNonNull(inputTopic, "inputTopic"));
  }

  /** Hold records until their batch's notification arrives; after {@code holdTimeout} they are unknown. */
  public static UnknownBatchPolicy hold(Duration holdTimeout, Duration stateTtl) {
    return new UnknownBatchPolicy(null, null, Objects.requireNonNull(holdTimeout, "holdTimeout"), stateTtl, null);
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

  /** The job's input topic: a looked-up batch of another topic is another stream's. */
  public String inputTopic() {
    return inputTopic;
  }

  public Duration stateTtl() {
    return stateTtl;
  }
}

package org.hri.pipeline.batches;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;

/**
 * How a record whose batch the side input does not know (yet) is resolved: by asking the Management API
 * ({@link Lookup}), or, in standalone mode, by holding it until the batch's notification arrives or a
 * timeout passes ({@link Hold}). Either way the answer is kept per batch for {@code stateTtl}.
 */
public sealed interface UnknownBatchPolicy extends Serializable {
  /** How long the answer for a batch is kept after its last record or notification. */
  Duration stateTtl();

  /** Hold records until their batch's notification arrives; after {@code holdTimeout} they are unknown. */
  record Hold(Duration holdTimeout, Duration stateTtl) implements UnknownBatchPolicy {
    public Hold {
      Objects.requireNonNull(holdTimeout, "holdTimeout");
      Objects.requireNonNull(stateTtl, "stateTtl");
    }
  }

  /**
   * Resolve through {@code GET batch} for a job reading {@code inputTopic}: 404 means unknown; another 4xx
   * about the batch, or a batch of another topic (another stream's), quarantines it; anything else is retried
   * until {@code retry} gives up, which quarantines the batch too.
   */
  record Lookup(ManagementApiConfig api, RetryPolicy retry, Duration stateTtl, String inputTopic)
      implements UnknownBatchPolicy {
    public Lookup {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(stateTtl, "stateTtl");
      Objects.requireNonNull(inputTopic, "inputTopic");
    }
  }

  static Hold hold(Duration holdTimeout, Duration stateTtl) {
    return new Hold(holdTimeout, stateTtl);
  }

  static Lookup lookup(ManagementApiConfig api, RetryPolicy retry, Duration stateTtl, String inputTopic) {
    return new Lookup(api, retry, stateTtl, inputTopic);
  }
}

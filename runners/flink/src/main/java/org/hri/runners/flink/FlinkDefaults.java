package org.hri.runners.flink;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.hri.pipeline.HriPipelineOptions;

/**
 * The original job's Flink settings, used wherever the user did not choose: a checkpoint every second (the
 * Kafka transactions commit with each one), exactly-once checkpoints, a 120 s checkpoint timeout, one
 * checkpoint at a time, bundles finished before each checkpoint, and exactly-once Kafka outputs. Restarts follow the cluster's restart strategy (the
 * project's session cluster configures the original's failure rate: 10 in 5 minutes, 10 s apart).
 */
final class FlinkDefaults {
  static final long CHECKPOINT_INTERVAL_MS = 1_000;
  static final long CHECKPOINT_TIMEOUT_MS = 120_000;

  private FlinkDefaults() {}

  static void apply(HriPipelineOptions options) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
      flink.setCheckpointingInterval(CHECKPOINT_INTERVAL_MS);
    }
    if (flink.getCheckpointTimeoutMillis() == null || flink.getCheckpointTimeoutMillis() <= 0) {
      flink.setCheckpointTimeoutMillis(CHECKPOINT_TIMEOUT_MS);
    }
    // Validation emits its per-bundle counts in finishBundle. Without this, a bundle finished by a checkpoint
    // has its outputs buffered until the next input arrives, so an idle job would never complete a batch.
    flink.setFinishBundleBeforeCheckpointing(true);
    if (options.getExactlyOnce() == null) {
      options.setExactlyOnce(true);
    }
    options.setStreaming(true);
  }
}

package org.hri.pipeline.e2e;

import java.util.List;

/**
 * The embedded Flink mini cluster with the Flink job's defaults (FlinkDefaults): checkpoints, exactly-once Kafka
 * outputs, big bundles, no copies between chained operators.
 */
final class FlinkEmbedded {
  static final List<String> RUNNER_ARGS =
      List.of(
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--attachedMode=false", "--streaming=true",
          "--parallelism=2", "--checkpointingInterval=300", "--finishBundleBeforeCheckpointing=true",
          "--maxBundleSize=10000", "--fasterCopy=true", "--exactlyOnce=true");

  private FlinkEmbedded() {}
}

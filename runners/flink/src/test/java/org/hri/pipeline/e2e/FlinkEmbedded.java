package org.hri.pipeline.e2e;

import java.util.List;

/**
 * The embedded Flink mini cluster with the checkpoint, bundle and copy settings of the Flink job's defaults
 * (FlinkDefaults; repeated here because these tests build the pipeline without FlinkJob) and exactly-once Kafka
 * outputs. Checkpoints stay in the JobManager's memory: the tests' state is small.
 */
final class FlinkEmbedded {
  static final List<String> RUNNER_ARGS =
      List.of(
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--attachedMode=false", "--streaming=true",
          "--parallelism=2", "--checkpointingInterval=300", "--finishBundleBeforeCheckpointing=true",
          "--maxBundleSize=10000", "--fasterCopy=true", "--exactlyOnce=true");

  private FlinkEmbedded() {}
}

package org.hri.pipeline.e2e;

import java.util.List;

/** The embedded Flink mini cluster, with checkpoints and exactly-once Kafka outputs, as in production. */
final class FlinkEmbedded {
  static final List<String> RUNNER_ARGS =
      List.of(
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--attachedMode=false", "--streaming=true",
          "--parallelism=2", "--checkpointingInterval=500", "--finishBundleBeforeCheckpointing=true",
          "--exactlyOnce=true");

  private FlinkEmbedded() {}
}

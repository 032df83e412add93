package org.hri.pipeline.e2e;

import java.util.List;

/** The standalone end-to-end scenarios, unchanged, on the embedded FlinkRunner. */
class StandaloneJobOnFlinkTest extends StandaloneJobTest {
  @Override
  protected List<String> runnerArgs() {
    return FlinkEmbedded.RUNNER_ARGS;
  }
}

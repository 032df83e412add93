package org.hri.pipeline.e2e;

import java.util.List;

/** The hostile-input scenario, unchanged, on the embedded FlinkRunner. */
class HostileInputJobOnFlinkTest extends HostileInputJobTest {
  @Override
  protected List<String> runnerArgs() {
    return FlinkEmbedded.RUNNER_ARGS;
  }
}

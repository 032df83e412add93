package org.hri.pipeline.e2e;

import java.util.List;

/** The Management API end-to-end scenarios, unchanged, on the embedded FlinkRunner. */
class ManagementApiJobOnFlinkTest extends ManagementApiJobTest {
  @Override
  protected List<String> runnerArgs() {
    return FlinkEmbedded.RUNNER_ARGS;
  }
}

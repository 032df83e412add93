package org.hri.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.hri.pipeline.HriPipelineOptions;
import org.junit.jupiter.api.Test;

/** The Flink job's command line: the original's Flink settings by default, the user's when given. */
class FlinkJobTest {
  private static final String[] STANDALONE = {"--brokers=k:9092", "--input=ingest.t1.di.in", "--standalone"};

  @Test
  void appliesTheOriginalJobsFlinkSettings() {
    Pipeline pipeline = FlinkJob.build(STANDALONE);
    FlinkPipelineOptions flink = pipeline.getOptions().as(FlinkPipelineOptions.class);
    assertThat(flink.getRunner(), is((Object) FlinkRunner.class));
    assertThat(flink.getCheckpointingInterval(), is(300L));
    assertThat(flink.getCheckpointingMode(), is("EXACTLY_ONCE"));
    assertThat(flink.getCheckpointTimeoutMillis(), is(120_000L));
    assertThat(flink.getNumConcurrentCheckpoints(), is(1));
    assertThat(flink.getFinishBundleBeforeCheckpointing(), is(true));
    assertThat(flink.getMaxBundleSize(), is(10_000L));
    assertThat(flink.getFasterCopy(), is(true));
    assertThat(flink.isStreaming(), is(true));
    assertThat(flink.getJobName(), is("hri-validation-ingest-t1-di-in"));
    assertThat(pipeline.getOptions().as(HriPipelineOptions.class).getExactlyOnce(), is(true));
  }

  @Test
  void keepsWhatTheUserChose() {
    Pipeline pipeline =
        FlinkJob.build(
            "--brokers=k:9092", "--input=ingest.t1.di.in", "--standalone", "--checkpointingInterval=5000",
            "--checkpointTimeoutMillis=60000", "--exactlyOnce=false", "--jobName=mine", "--maxBundleSize=1000",
            "--fasterCopy=false");
    FlinkPipelineOptions flink = pipeline.getOptions().as(FlinkPipelineOptions.class);
    assertThat(flink.getCheckpointingInterval(), is(5_000L));
    assertThat(flink.getCheckpointTimeoutMillis(), is(60_000L));
    assertThat(flink.getJobName(), is("mine"));
    assertThat(flink.getMaxBundleSize(), is(1_000L));
    assertThat(flink.getFasterCopy(), is(false));
    assertThat(pipeline.getOptions().as(HriPipelineOptions.class).getExactlyOnce(), is(false));
  }

  @Test
  void embeddedCheckpointsGoToFilesNotTheJobManagersMemory() {
    FlinkPipelineOptions embedded =
        FlinkJob.build("--brokers=k:9092", "--input=ingest.t1.di.in", "--standalone", "--flinkMaster=[local]")
            .getOptions().as(FlinkPipelineOptions.class);
    assertThat(embedded.getStateBackend(), is("filesystem"));
    assertThat(embedded.getStateBackendStoragePath(),
        is(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "hri-flink-checkpoints",
            "hri-validation-ingest-t1-di-in").toUri().toString()));

    FlinkPipelineOptions onCluster =
        FlinkJob.build("--brokers=k:9092", "--input=ingest.t1.di.in", "--standalone", "--flinkMaster=jm:8081")
            .getOptions().as(FlinkPipelineOptions.class);
    assertThat(onCluster.getStateBackend(), is((Object) null));
    assertThat(onCluster.getStateBackendStoragePath(), is((Object) null));
  }

  @Test
  void onlyFlinksApplicationModeRunsTheJobInsideTheJobManager() {
    // A JVM of its own (java -jar, the tests) has no embedded executor: main then exits with the job's code.
    // scripts/flink-failover-test application-mode runs main inside a JobManager.
    assertThat(FlinkJob.insideJobManager(), is(false));
  }

  @Test
  void aBadOptionIsOneLineNamingIt() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> FlinkJob.build("--brokers=k:9092", "--standalone"));
    assertThat(error.getMessage(), is("Missing required option: --input"));
  }
}

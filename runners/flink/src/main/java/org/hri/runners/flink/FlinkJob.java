package org.hri.runners.flink;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.client.deployment.application.executors.EmbeddedExecutor;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.JobCommandLine;
import org.hri.pipeline.HriPipelineOptions;

/**
 * Runs the HRI validation job on Flink: embedded ({@code --flinkMaster=[local]}), on a session cluster
 * ({@code --flinkMaster=host:port}, or {@code flink run} with the job jar), or as a Flink application, its
 * {@code main} run inside the JobManager (Flink's application mode, what the Kubernetes operator runs). Takes
 * the DirectRunner job's options plus Beam's Flink options. As a program of its own, a bad option ends it at
 * once with one line and exit code 2; inside a JobManager it never ends the JVM (see {@link #runInJobManager}).
 */
public final class FlinkJob {
  private FlinkJob() {}

  public static void main(String[] args) {
    if (insideJobManager()) {
      runInJobManager(args);
      return;
    }
    System.exit(JobCommandLine.run(args, FlinkJob::build, pipeline -> {
      FlinkPipelineOptions flink = pipeline.getOptions().as(FlinkPipelineOptions.class);
      // Embedded, the job lives in this JVM: leaving would stop it, attached or not.
      return flink.getAttachedMode() || FlinkDefaults.EMBEDDED.equals(flink.getFlinkMaster());
    }));
  }

  /**
   * Application mode: submits the job to the JobManager this {@code main} runs in and returns. Flink follows the
   * job to its end: a failure is the job's status FAILED (and the application's), a stop with a savepoint ends
   * it cleanly; the JVM is the cluster's, so nothing here exits it. A bad option fails the application with an
   * {@link IllegalArgumentException} of one line naming the option (with HA, {@code
   * execution.submit-failed-job-on-application-error} shows it as a FAILED job).
   */
  static void runInJobManager(String[] args) {
    Pipeline pipeline;
    try {
      pipeline = build(args);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("hri: " + JobCommandLine.firstLine(e));
    }
    pipeline.getOptions().as(FlinkPipelineOptions.class).setAttachedMode(false);
    pipeline.run();
  }

  /** True when Flink runs this {@code main} in a JobManager (application mode: the embedded executor). */
  static boolean insideJobManager() {
    return EmbeddedExecutor.NAME.equals(
        StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration().get(DeploymentOptions.TARGET));
  }

  /** Parses the options, applies the job's Flink defaults and builds the job. */
  static Pipeline build(String... args) {
    PipelineOptionsFactory.register(HriPipelineOptions.class);
    PipelineOptionsFactory.register(FlinkPipelineOptions.class);
    HriPipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(HriPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    Set<String> given =
        Arrays.stream(args).map(arg -> arg.replaceFirst("^--", "").split("=", 2)[0]).collect(Collectors.toSet());
    FlinkDefaults.apply(options, given);
    return HriPipeline.create(options);
  }
}

package org.hri.runners.flink;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.JobCommandLine;
import org.hri.pipeline.HriPipelineOptions;

/**
 * Runs the HRI validation job on Flink: embedded ({@code --flinkMaster=[local]}) or on a session cluster
 * ({@code --flinkMaster=host:port}, or {@code flink run} with the job jar). Takes the DirectRunner job's
 * options plus Beam's Flink options. A bad option ends it at once with one line and exit code 2.
 */
public final class FlinkJob {
  private FlinkJob() {}

  public static void main(String[] args) {
    Pipeline pipeline = JobCommandLine.buildOrExit(args, FlinkJob::build);
    FlinkPipelineOptions flink = pipeline.getOptions().as(FlinkPipelineOptions.class);
    // Embedded, the job lives in this JVM: leaving would stop it, attached or not.
    boolean embedded = FlinkDefaults.EMBEDDED.equals(flink.getFlinkMaster());
    JobCommandLine.runAndExit(pipeline, flink.getAttachedMode() || embedded);
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

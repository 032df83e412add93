package org.hri.runners.dataflow;

import java.util.Optional;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.JobCommandLine;
import org.hri.pipeline.HriPipelineOptions;

/**
 * Launches the HRI validation job on Google Cloud Dataflow (directly, or as the main class of a Flex
 * Template). It returns once the job is submitted: a Flex Template launcher must not wait for the job.
 * A bad option ends it at once with one line and exit code 2.
 */
public final class DataflowJob {
  private DataflowJob() {}

  public static void main(String[] args) {
    Optional<Pipeline> pipeline = JobCommandLine.build(args, DataflowJob::build);
    if (pipeline.isEmpty()) {
      System.exit(JobCommandLine.BAD_OPTIONS);
    }
    pipeline.get().run();
  }

  /** Parses the options, checks them, and builds the job for the DataflowRunner. */
  static Pipeline build(String... args) {
    PipelineOptionsFactory.register(HriPipelineOptions.class);
    PipelineOptionsFactory.register(DataflowPipelineOptions.class);
    HriPipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(HriPipelineOptions.class);
    options.setRunner(DataflowRunner.class);
    DataflowPipelineOptions dataflow = options.as(DataflowPipelineOptions.class);
    dataflow.setStreaming(true);
    // The Management API calls and the exactly-once writer act once the runner has made their input durable,
    // which it reports through bundle finalizers: Dataflow calls them on Runner v2 only.
    ExperimentalOptions.addExperiment(dataflow, "use_runner_v2");
    // Dataflow commits outputs exactly once itself; Kafka transactions are the user's choice here.
    if (options.getExactlyOnce() == null) {
      options.setExactlyOnce(false);
    }
    return HriPipeline.create(options);
  }
}

package org.hri.runners.direct;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.JobCommandLine;
import org.hri.pipeline.HriPipelineOptions;

/**
 * Runs the HRI validation job on Beam's DirectRunner until it is stopped. A bad option ends it at once with
 * one line naming the option and exit code 2.
 */
public final class DirectJob {
  private DirectJob() {}

  public static void main(String[] args) {
    System.exit(JobCommandLine.run(args, DirectJob::build, pipeline -> true));
  }

  /** Parses and checks the options and builds the job; a bad option is an IllegalArgumentException. */
  static Pipeline build(String... args) {
    PipelineOptionsFactory.register(HriPipelineOptions.class);
    HriPipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(HriPipelineOptions.class);
    options.setRunner(DirectRunner.class);
    // The runner's immutability and encodability checks are test aids: they copy every element, and the
    // immutability check logs a warning per Kafka record written. The project's tests keep them on.
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    return HriPipeline.create(options);
  }
}

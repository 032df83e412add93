package org.hri.pipeline;

import java.util.Optional;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * What every runner's {@code main} does with its arguments: build the job, or report a bad option in one line;
 * run it and tell how it ended. It never ends the JVM: the exit codes it returns are for the runners' {@code
 * main} methods, which alone call {@code System.exit} (a job's {@code main} run inside a Flink JobManager, in
 * application mode, must not).
 */
public final class JobCommandLine {
  /** The exit code of a bad option. */
  public static final int BAD_OPTIONS = 2;
  /** The exit code of a job that failed or ended otherwise than done. */
  public static final int FAILED = 1;

  private JobCommandLine() {}

  /**
   * The job {@code build} makes of {@code args}, or empty after a bad option ({@link IllegalArgumentException}),
   * which prints {@code hri: <first line of the message>} on standard error: exit with {@link #BAD_OPTIONS}.
   */
  public static Optional<Pipeline> build(String[] args, Function<String[], Pipeline> build) {
    try {
      return Optional.of(build.apply(args));
    } catch (IllegalArgumentException e) {
      System.err.println("hri: " + firstLine(e));
      return Optional.empty();
    }
  }

  /** The first line of a bad option's message: what the job prints, and what it fails with in a cluster. */
  public static String firstLine(IllegalArgumentException badOption) {
    String message = badOption.getMessage();
    return message == null ? "invalid options" : message.lines().findFirst().orElse("");
  }

  /**
   * Builds and runs the job, and waits for it when {@code wait}: the exit code for {@code main}, which must then
   * end the JVM, as KafkaIO's non-daemon threads would otherwise keep it alive even after the job failed: 0
   * when it was started or finished, {@link #FAILED} when it failed or ended otherwise, {@link #BAD_OPTIONS}.
   */
  public static int run(String[] args, Function<String[], Pipeline> build, Function<Pipeline, Boolean> wait) {
    return build(args, build).map(pipeline -> run(pipeline, wait.apply(pipeline))).orElse(BAD_OPTIONS);
  }

  /**
   * Runs the job and waits for it when {@code wait}; a failure prints its causes' classes and stack frames, not
   * their messages, which third-party code may have filled with a record's content.
   */
  public static int run(Pipeline pipeline, boolean wait) {
    try {
      PipelineResult result = pipeline.run();
      PipelineResult.State state = wait ? result.waitUntilFinish() : PipelineResult.State.RUNNING;
      if (wait && state != PipelineResult.State.DONE) {
        System.err.println("hri: the job ended " + state);
        return FAILED;
      }
      return 0;
    } catch (Throwable failure) {
      System.err.println("hri: the job failed");
      for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
        System.err.println((cause == failure ? "" : "caused by ") + cause.getClass().getName());
        for (StackTraceElement frame : cause.getStackTrace()) {
          System.err.println("\tat " + frame);
        }
      }
      return FAILED;
    }
  }
}

package org.hri.pipeline;

import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** What every runner's {@code main} does with its arguments: build the job, or stop with one line. */
public final class JobCommandLine {
  private JobCommandLine() {}

  /**
   * The job {@code build} makes of {@code args}; a bad option ({@link IllegalArgumentException}) prints
   * {@code hri: <first line of the message>} on standard error and exits with code 2.
   */
  public static Pipeline buildOrExit(String[] args, Function<String[], Pipeline> build) {
    try {
      return build.apply(args);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid options" : e.getMessage().lines().findFirst().orElse("");
      System.err.println("hri: " + message);
      System.exit(2);
      throw e; // not reached
    }
  }

  /**
   * Runs the job, waits for it when {@code wait}, and ends the JVM, which KafkaIO's non-daemon threads would
   * otherwise keep alive even after the job failed: exit code 0 when it was started or finished, 1 when it
   * failed or ended otherwise. A failure prints its causes' classes and stack frames, not their messages, which
   * third-party code may have filled with a record's content.
   */
  public static void runAndExit(Pipeline pipeline, boolean wait) {
    try {
      PipelineResult result = pipeline.run();
      PipelineResult.State state = wait ? result.waitUntilFinish() : PipelineResult.State.RUNNING;
      if (wait && state != PipelineResult.State.DONE) {
        System.err.println("hri: the job ended " + state);
        System.exit(1);
      }
    } catch (Throwable failure) {
      System.err.println("hri: the job failed");
      for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
        System.err.println((cause == failure ? "" : "caused by ") + cause.getClass().getName());
        for (StackTraceElement frame : cause.getStackTrace()) {
          System.err.println("\tat " + frame);
        }
      }
      System.exit(1);
    }
    System.exit(0);
  }
}

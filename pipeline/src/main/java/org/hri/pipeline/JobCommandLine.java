package org.hri.pipeline;

import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;

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
}

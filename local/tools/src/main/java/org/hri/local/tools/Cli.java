package org.hri.local.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What the local tools' picocli commands share: how they run and how they report a bad command line. Every tool
 * takes {@code --name=value} options and {@code --help}, and exits with 0 (done), 1 (failed) or 2 (usage error:
 * picocli prints the message and the usage to standard error).
 */
public final class Cli {
  private Cli() {}

  /** Runs {@code command} (a picocli {@code @Command}) on {@code args}, printing to out and err; the exit code. */
  public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
    return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** A usage error of the command: thrown from its {@code call()}, it exits with 2 after printing the usage. */
  public static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code value}, or {@code otherwise} when the option was not given; a usage error when below {@code min}. */
  public static long atLeast(CommandSpec spec, String option, Long value, long otherwise, long min) {
    if (value == null) {
      return otherwise;
    }
    if (value < min) {
      throw usage(spec, "Option " + option + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}

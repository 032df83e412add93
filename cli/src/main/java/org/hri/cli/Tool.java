package org.hri.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command-line tool: a picocli {@code @Command} with {@code --name=value} options and {@code --help} (the
 * subclass's {@code @Command} gives its name and description; the layout of the help and the exit code list are
 * this class's, and a subclass may name its exit codes in its own {@code exitCodeList}), whose
 * {@link #call()} returns the exit code: 0 done, 1 failed (an exception thrown from it is 1 too). A bad command
 * line, or a {@link #usage} error thrown from {@code call()}, prints the problem and the usage on the error
 * stream and gives 2. The tool's {@code main} is the only place that exits the JVM:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(new MyTool().execute(args, System.out, System.err));
 * }
 * }</pre>
 */
@Command(sortOptions = false, usageHelpWidth = 110, exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:done", "1:failed", "2:usage error"})
public abstract class Tool implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  private boolean help;

  /** Where the tool prints; set by {@link #execute}. */
  protected PrintStream out = System.out;

  protected PrintStream err = System.err;

  /** Parses {@code args} and runs the tool, printing to {@code out} and {@code err}; returns the exit code. */
  public final int execute(String[] args, PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    CommandLine command = new CommandLine(this);
    addOptions(command.getCommandSpec());
    return command.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  /** For options declared from data rather than annotations: adds them to the command before it parses. */
  protected void addOptions(CommandSpec command) {}

  /** A usage error: thrown from {@link #call()}, it exits with 2 after printing the problem and the usage. */
  protected final ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code value}, or {@code otherwise} when the option was not given; a usage error when below {@code min}. */
  protected final long atLeast(String option, Long value, long otherwise, long min) {
    if (value == null) {
      return otherwise;
    }
    if (value < min) {
      throw usage("Option " + option + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}

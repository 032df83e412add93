package org.hri.local.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What the local tools' picocli commands share. Every tool takes {@code --name=value} options and {@code --help},
 * and exits with 0 (done), 1 (failed) or 2 (usage error: picocli prints the problem and the usage to standard
 * error).
 */
public final class Cli {
  private Cli() {}

  /** A tool: a picocli {@code @Command} whose {@link #call()} returns the exit code, printing to out and err. */
  public abstract static class Tool implements Callable<Integer> {
    @Spec protected CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    private boolean help;

    protected PrintStream out = System.out;
    protected PrintStream err = System.err;

    /** Parses {@code args} and runs the tool; the exit code. */
    public final int execute(String[] args, PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
      return new CommandLine(this).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
          .execute(args);
    }

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

    /** The stream of {@code --input}; a usage error when it is not an input topic's name. */
    protected final TopicNames topics(String input) {
      try {
        return TopicNames.forInput(input);
      } catch (TopicNamingException e) {
        throw usage(e.getMessage());
      }
    }

    /** The Kafka client settings of {@code --brokers} and {@code client}'s options. */
    protected final Map<String, Object> kafkaClient(String brokers, KafkaClient client) {
      try {
        return KafkaClientSettings.base(brokers, client.password,
            KafkaClientSettings.parseProperties(client.properties));
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
  }

  /** {@code --brokers} and {@code --input}: the broker and the stream a tool works on (a picocli mixin). */
  public static final class Stream {
    @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT[,...]",
        description = "Kafka bootstrap servers")
    public String brokers;

    @Option(names = "--input", required = true, paramLabel = "ingest.<tenant>.<integrator>[.q].in",
        description = "the stream's input topic; the tenant is its second element")
    public String input;
  }

  /** {@code --password} and {@code --kafkaProperties}: how a tool's Kafka clients connect (a picocli mixin). */
  public static final class KafkaClient {
    @Option(names = "--password", description = "Event Streams API key: SASL PLAIN over TLS (user 'token')")
    String password;

    @Option(names = "--kafkaProperties", paramLabel = "k=v[,k=v...]", description = "extra Kafka client properties")
    String properties;
  }
}

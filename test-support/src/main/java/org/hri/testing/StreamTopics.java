package org.hri.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Creates the four topics of an HRI stream, as the Management API's stream endpoint does: {@code .in} and
 * {@code .out} with the given partitions, {@code .notification} and {@code .invalid} with one. Existing topics
 * are left alone. {@code scripts/kafka topics} runs it.
 */
@Command(name = "StreamTopics", sortOptions = false, description = "Creates the four topics of an HRI stream.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:created or there", "1:an error", "2:usage error"})
public final class StreamTopics implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
  private String brokers;

  @Option(names = "--input", required = true, paramLabel = "ingest.<tenant>.<integrator>[.tag].in",
      description = "the stream's input topic")
  private String input;

  @Option(names = "--partitions", defaultValue = "1", description = ".in and .out partitions (default 1)")
  private int partitions;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
  private boolean help;

  private StreamTopics() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamTopics()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!input.startsWith("ingest.") || !input.endsWith(".in") || partitions < 1) {
      throw new ParameterException(spec.commandLine(),
          "--input must be ingest.<tenant>.<integrator>[.tag].in and --partitions at least 1");
    }
    String base = input.substring(0, input.length() - ".in".length());
    Map<String, Integer> topics =
        Map.of(base + ".in", partitions, base + ".out", partitions, base + ".notification", 1, base + ".invalid", 1);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.entrySet().stream()
              .filter(t -> !existing.contains(t.getKey()))
              .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
              .toList();
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("Creating the topics of " + input + " failed: " + e.getCause().getMessage(), e);
      }
      topics.keySet().stream().sorted().forEach(t -> System.out.println(
          "kafka: topic " + t + " (" + topics.get(t) + (topics.get(t) == 1 ? " partition" : " partitions")
              + (existing.contains(t) ? ", already there" : "") + ")"));
    }
    return 0;
  }
}

package org.hri.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.hri.cli.Tool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Creates the four topics of an HRI stream, as the Management API's stream endpoint does: {@code .in} and
 * {@code .out} with the given partitions, {@code .notification} and {@code .invalid} with one. Existing topics
 * are left alone. {@code scripts/kafka topics} runs it.
 */
@Command(name = "StreamTopics", description = "Creates the four topics of an HRI stream.")
public final class StreamTopics extends Tool {
  @Option(names = "--brokers", required = true, description = "Kafka bootstrap servers") private String brokers;
  @Option(names = "--input", required = true, description = "the stream's .in topic") private String input;
  @Option(names = "--partitions", defaultValue = "1", description = ".in and .out partitions") private int partitions;

  private StreamTopics() {}

  public static void main(String[] args) {
    System.exit(new StreamTopics().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    if (!input.startsWith("ingest.") || !input.endsWith(".in") || partitions < 1) {
      throw usage("--input must be ingest.<tenant>.<integrator>[.tag].in and --partitions at least 1");
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
      topics.keySet().stream().sorted().forEach(t -> out.println(
          "kafka: topic " + t + " (" + topics.get(t) + (topics.get(t) == 1 ? " partition" : " partitions")
              + (existing.contains(t) ? ", already there" : "") + ")"));
    }
    return 0;
  }
}

package org.hri.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the four topics of an HRI stream, as the Management API's stream endpoint does: {@code .in} and
 * {@code .out} with the given partitions, {@code .notification} and {@code .invalid} with one. Existing topics
 * are left alone. Usage: {@code StreamTopics <bootstrap-servers> <ingest.tenant.integrator[.tag].in> [partitions]}.
 */
public final class StreamTopics {
  private StreamTopics() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || !args[1].startsWith("ingest.") || !args[1].endsWith(".in")) {
      System.err.println("usage: StreamTopics <bootstrap-servers> <ingest.tenant.integrator[.tag].in> [partitions]");
      System.exit(2);
    }
    String base = args[1].substring(0, args[1].length() - ".in".length());
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Map<String, Integer> topics =
        Map.of(base + ".in", partitions, base + ".out", partitions, base + ".notification", 1, base + ".invalid", 1);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topics.entrySet().stream()
              .filter(t -> !existing.contains(t.getKey()))
              .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
              .toList();
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("Creating the topics of " + args[1] + " failed: " + e.getCause().getMessage(), e);
      }
      topics.keySet().stream().sorted().forEach(t -> System.out.println(
          "kafka: topic " + t + " (" + topics.get(t) + (topics.get(t) == 1 ? " partition" : " partitions")
              + (existing.contains(t) ? ", already there" : "") + ")"));
    }
  }
}

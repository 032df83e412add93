package org.hri.local.integrator;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hri.local.tools.CommandLine;
import org.hri.local.tools.CommandLine.UsageException;
import org.hri.local.tools.KafkaClientSettings;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;

/**
 * Command line of the Data Integrator ({@link Integrator}): turns every file in {@code <folder>/in/} into one
 * batch. Exit code 0 when every file's batch completed, 1 when any file failed, 2 for a usage error.
 */
public final class IntegratorTool {
  static final String USAGE = String.join("\n",
      "Usage: IntegratorTool --folder=DIR --brokers=HOST:PORT[,...] --input=ingest.<tenant>.<integrator>[.q].in",
      "                      --mgmtUrl=URL/hri [options]",
      "Every file in DIR/in/ (.ndjson/.jsonl: one record per non-empty line; .json: one document) becomes one",
      "batch; the file then moves to DIR/processed/ (completed) or DIR/failed/ with <file>.status.json beside it.",
      "Options:",
      "  --folder            working folder holding in/ (required)",
      "  --brokers           Kafka bootstrap servers (required)",
      "  --input             input topic; the tenant is its second element (required)",
      "  --mgmtUrl           Management API base URL ending in /hri (required)",
      "  --oauthUrl, --clientId, --clientSecret, --audience",
      "                      OAuth2 client credentials (token from <oauthUrl>/token); all or none",
      "  --tenant            tenant id (default: from --input)",
      "  --dataType          the batches' dataType (default fhir)",
      "  --invalidThreshold  invalid records that fail a batch, -1 for none (default -1)",
      "  --timeout           seconds to wait after sendComplete for a batch's final status (default 600)",
      "  --concurrency       files processed at the same time (default 1)",
      "  --pollInterval      milliseconds between batch status checks (default 1000)",
      "  --password          Event Streams API key: SASL PLAIN over TLS (user 'token')",
      "  --kafkaProperties   extra producer properties key=value,key=value",
      "Exit code: 0 all files completed, 1 some file failed, 2 usage error.");

  private static final Set<String> OPTIONS = Set.of("folder", "brokers", "input", "mgmtUrl", "oauthUrl", "clientId",
      "clientSecret", "audience", "tenant", "dataType", "invalidThreshold", "timeout", "concurrency", "pollInterval",
      "password", "kafkaProperties");

  private IntegratorTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool; returns the exit code. A JVM shutdown (Ctrl-C) terminates the batches being sent. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Integrator integrator;
    try {
      integrator = parse(args, out);
    } catch (UsageException e) {
      err.println("Error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (integrator == null) {
      out.println(USAGE);
      return 0;
    }
    Thread hook = new Thread(() -> {
      try {
        integrator.shutdown(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "hri-integrator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      List<IngestResult> results = integrator.run();
      long completed = results.stream().filter(r -> r.outcome() == IngestResult.Outcome.COMPLETED).count();
      out.println(results.size() + " file(s): " + completed + " completed, " + (results.size() - completed)
          + " failed");
      return completed == results.size() ? 0 : 1;
    } catch (InterruptedException e) {
      err.println("Interrupted");
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      err.println("Error: " + Integrator.describe(e));
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down
      }
    }
  }

  /** The integrator the arguments describe, or null when only help was asked for. */
  static Integrator parse(String[] args, PrintStream out) throws UsageException {
    CommandLine cl = CommandLine.parse(args, OPTIONS);
    if (cl.helpRequested()) {
      return null;
    }
    Path folder = Path.of(cl.required("folder"));
    String brokers = cl.required("brokers");
    String input = cl.required("input");
    String mgmtUrl = cl.required("mgmtUrl");
    if (!mgmtUrl.startsWith("http://") && !mgmtUrl.startsWith("https://")) {
      throw new UsageException("Option --mgmtUrl must be an http:// or https:// URL");
    }
    String tenant = cl.optional("tenant", null);
    if (tenant == null) {
      try {
        tenant = TopicNames.forInput(input).tenantId();
      } catch (TopicNamingException e) {
        throw new UsageException(e.getMessage() + " (or give --tenant)");
      }
    }
    List<String> oauthOptions = List.of("oauthUrl", "clientId", "clientSecret", "audience");
    cl.allOrNone(oauthOptions);
    BatchApiClient.OAuth oauth = cl.has("oauthUrl")
        ? new BatchApiClient.OAuth(cl.required("oauthUrl"), cl.required("clientId"), cl.required("clientSecret"),
            cl.required("audience"))
        : null;
    long invalidThreshold = cl.number("invalidThreshold", -1, -1);
    long timeout = cl.number("timeout", IntegratorConfig.DEFAULT_TIMEOUT.toSeconds(), 1);
    long concurrency = cl.number("concurrency", 1, 1);
    if (concurrency > 64) {
      throw new UsageException("Option --concurrency must be at most 64");
    }
    long pollInterval = cl.number("pollInterval", IntegratorConfig.DEFAULT_POLL_INTERVAL.toMillis(), 10);
    Map<String, String> extra;
    try {
      extra = KafkaClientSettings.parseProperties(cl.optional("kafkaProperties", null));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (!Files.isDirectory(folder.resolve("in"))) {
      throw new UsageException("Folder " + folder + " has no in/ folder");
    }
    IntegratorConfig config = IntegratorConfig.of(folder, brokers, input)
        .withDataType(cl.optional("dataType", IntegratorConfig.DEFAULT_DATA_TYPE))
        .withInvalidThreshold(invalidThreshold)
        .withTimeout(Duration.ofSeconds(timeout))
        .withConcurrency((int) concurrency)
        .withPollInterval(Duration.ofMillis(pollInterval))
        .withProducerConfig(KafkaClientSettings.base(brokers, cl.optional("password", null), extra));
    BatchApiClient api = new BatchApiClient(mgmtUrl, tenant, oauth, Duration.ofSeconds(30));
    return new Integrator(config, api, out);
  }
}

package org.hri.local.integrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hri.local.tools.KafkaTool;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line of the Data Integrator ({@link Integrator}): turns every file in {@code <folder>/in/} into one
 * batch. Exit code 0 when every file's batch completed, 1 when any file failed, 2 for a usage error.
 */
@Command(name = "IntegratorTool",
    description = {
        "Every file in DIR/in/ (.ndjson/.jsonl: one record per non-empty line; .json: one document) becomes one",
        "batch; the file then moves to DIR/processed/ (completed) or DIR/failed/ with <file>.status.json beside it."},
    exitCodeList = {"0:every file completed", "1:some file failed", "2:usage error"})
public final class IntegratorTool extends KafkaTool {
  @Mixin private KafkaTool.Stream stream;

  @Option(names = "--folder", required = true, paramLabel = "DIR", description = "working folder holding in/")
  private Path folder;

  @Option(names = "--mgmtUrl", required = true, paramLabel = "URL",
      description = "Management API base URL ending in /hri")
  private String mgmtUrl;

  @ArgGroup(exclusive = false, heading = "OAuth2 client credentials (token from <oauthUrl>/token); all or none:%n")
  private OAuthOptions oauth;

  @Option(names = "--tenant", description = "tenant id (default: from --input)")
  private String tenant;

  @Option(names = "--dataType", defaultValue = IntegratorConfig.DEFAULT_DATA_TYPE,
      description = "the batches' dataType (default ${DEFAULT-VALUE})")
  private String dataType;

  @Option(names = "--invalidThreshold", defaultValue = "-1",
      description = "invalid records that fail a batch, -1 for none (default ${DEFAULT-VALUE})")
  private long invalidThreshold;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "seconds to wait after sendComplete for a batch's final status (default 600)")
  private Long timeout;

  @Option(names = "--concurrency", defaultValue = "1",
      description = "files processed at the same time, 1 to 64 (default ${DEFAULT-VALUE})")
  private int concurrency;

  @Option(names = "--pollInterval", paramLabel = "MILLIS",
      description = "milliseconds between batch status checks (default 1000)")
  private Long pollInterval;

  @Mixin private KafkaTool.KafkaClient kafka;

  /** The OAuth options: picocli requires all of them once one is given. */
  static final class OAuthOptions {
    @Option(names = "--oauthUrl", required = true, paramLabel = "URL", description = "the OAuth2 service")
    String url;

    @Option(names = "--clientId", required = true, paramLabel = "ID", description = "the integrator's client")
    String clientId;

    @Option(names = "--clientSecret", required = true, paramLabel = "SECRET",
        description = "its secret, as env:NAME or file:/path (read for each token request), or literally")
    String clientSecret;

    @Option(names = "--audience", required = true, paramLabel = "AUD", description = "the HRI application's id")
    String audience;
  }

  /** A JVM shutdown (Ctrl-C) terminates the batches being sent. */
  public static void main(String[] args) {
    System.exit(new IntegratorTool().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() {
    Integrator integrator;
    try {
      integrator = integrator();
    } catch (IOException e) { // HRI_TRUSTSTORE names a trust store that cannot be read
      err.println("Error: " + Integrator.describe(e));
      return 1;
    } catch (IllegalArgumentException e) { // HRI_TRUSTSTORE without its password, a blank OAuth value
      throw usage(e.getMessage());
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

  /** The integrator the options describe; a usage error (exit code 2) when they do not fit. */
  private Integrator integrator() throws IOException {
    if (!mgmtUrl.startsWith("http://") && !mgmtUrl.startsWith("https://")) {
      throw usage("Option --mgmtUrl must be an http:// or https:// URL");
    }
    String tenantId = tenant;
    if (tenantId == null || tenantId.isBlank()) {
      try {
        tenantId = TopicNames.forInput(stream.input).tenantId();
      } catch (TopicNamingException e) {
        throw usage(e.getMessage() + " (or give --tenant)");
      }
    }
    if (invalidThreshold < -1) {
      throw usage("Option --invalidThreshold must be at least -1, got " + invalidThreshold);
    }
    long timeoutSeconds = atLeast("--timeout", timeout, IntegratorConfig.DEFAULT_TIMEOUT.toSeconds(), 1);
    long pollMillis = atLeast("--pollInterval", pollInterval, IntegratorConfig.DEFAULT_POLL_INTERVAL.toMillis(), 10);
    if (concurrency < 1 || concurrency > 64) {
      throw usage("Option --concurrency must be from 1 to 64, got " + concurrency);
    }
    Map<String, Object> producerConfig = kafkaClient(stream.brokers, kafka);
    if (!Files.isDirectory(folder.resolve("in"))) {
      throw usage("Folder " + folder + " has no in/ folder");
    }
    IntegratorConfig config = IntegratorConfig.of(folder, stream.brokers, stream.input)
        .withDataType(dataType)
        .withInvalidThreshold(invalidThreshold)
        .withTimeout(Duration.ofSeconds(timeoutSeconds))
        .withConcurrency(concurrency)
        .withPollInterval(Duration.ofMillis(pollMillis))
        .withProducerConfig(producerConfig);
    BatchApiClient.OAuth credentials = oauth == null ? null
        : new BatchApiClient.OAuth(oauth.url, oauth.clientId, oauth.clientSecret, oauth.audience);
    return new Integrator(config, new BatchApiClient(mgmtUrl, tenantId, credentials, Duration.ofSeconds(30)), out);
  }

}

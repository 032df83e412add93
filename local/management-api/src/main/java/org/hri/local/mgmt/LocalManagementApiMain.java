package org.hri.local.mgmt;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.hri.cli.Tool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the local HRI Management API until the process is killed (local only; production uses the real HRI
 * Management API). Prints {@code local-mgmt-api: listening on http://127.0.0.1:<port>/hri} once it serves. A bad
 * option prints the problem and the usage on stderr and exits with 2; a failed start (Kafka unreachable, port
 * taken) exits with 1; {@code --help} prints the usage and exits with 0.
 */
@Command(name = "LocalManagementApiMain",
    description = "Local stand-in for the HRI Management API (local only; production uses the real HRI Management API).",
    exitCodeList = {"0:--help (otherwise it serves until killed)", "1:it could not start", "2:usage error"})
public final class LocalManagementApiMain extends Tool {
  static final int DEFAULT_PORT = 1323;
  static final String DEFAULT_BROKERS = "127.0.0.1:9092";

  @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
      description = "HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one)")
  private int port;

  @Option(names = "--brokers", paramLabel = "HOST:PORT[,...]", defaultValue = DEFAULT_BROKERS,
      description = "Kafka bootstrap servers (default ${DEFAULT-VALUE})")
  private String brokers;

  @Option(names = "--validation", arity = "0..1", paramLabel = "true|false", defaultValue = "true",
      description = "sendComplete gives sendCompleted (true, default) or completed (false)")
  private boolean validation;

  @Option(names = "--auth", arity = "0..1", paramLabel = "true|false", defaultValue = "false",
      description = "require OAuth bearer tokens on batch endpoints (default false)")
  private boolean auth;

  @Option(names = "--client", paramLabel = "ID:SECRET:SCOPES[:SUB]",
      description = {"an OAuth client for --auth=true (repeatable); SCOPES separated by spaces or commas,",
          "e.g. 'di1:s3cret:tenant_t1 hri_data_integrator:di1'"})
  private List<String> clients = new ArrayList<>();

  @Option(names = "--audience", paramLabel = "AUD",
      description = "tokens must have been requested for this audience (default: not checked)")
  private String audience;

  @Option(names = "--tokenLifetime", paramLabel = "SECONDS", defaultValue = "3600",
      description = "lifetime of issued tokens (default ${DEFAULT-VALUE})")
  private int tokenLifetime;

  @Option(names = "--kafkaTimeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Kafka call timeout, 1 to 3600 (default ${DEFAULT-VALUE})")
  private int kafkaTimeout;

  private LocalManagementApi api; // once started

  private LocalManagementApiMain() {}

  /** The outcome of {@link #launch}: a running API, or the exit code to leave with. */
  record Launch(LocalManagementApi api, int exitCode) {}

  public static void main(String[] args) {
    quietKafkaLogs();
    Launch launch = launch(args, System.out, System.err);
    if (launch.api() == null) {
      System.exit(launch.exitCode());
      return;
    }
    LocalManagementApi api = launch.api();
    Runtime.getRuntime().addShutdownHook(new Thread(api::close, "local-mgmt-api-shutdown"));
    try {
      new CountDownLatch(1).await(); // until killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      api.close();
    }
  }

  /** Parses the options and starts the API; prints the listening line, the usage or the error. */
  static Launch launch(String[] args, PrintStream out, PrintStream err) {
    LocalManagementApiMain command = new LocalManagementApiMain();
    int code = command.execute(args, out, err);
    return new Launch(command.api, code);
  }

  /** The configuration {@code args} describe, without starting anything (for tests). */
  static LocalManagementApi.Config parse(String... args) {
    LocalManagementApiMain command = new LocalManagementApiMain();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  /** The configuration the options describe; a usage error (exit code 2) when they do not fit. */
  private LocalManagementApi.Config config() {
    if (port < 0 || port > 65535) {
      throw usage("--port must be between 0 and 65535, got " + port);
    }
    if (tokenLifetime < 1) {
      throw usage("--tokenLifetime must be at least 1, got " + tokenLifetime);
    }
    if (kafkaTimeout < 1 || kafkaTimeout > 3600) {
      throw usage("--kafkaTimeout must be between 1 and 3600, got " + kafkaTimeout);
    }
    if (brokers.isBlank() || (audience != null && audience.isBlank())) {
      throw usage((brokers.isBlank() ? "--brokers" : "--audience") + " needs a value");
    }
    LocalManagementApi.Config.Builder b = LocalManagementApi.Config.builder()
        .port(port)
        .bootstrapServers(brokers)
        .validation(validation)
        .auth(auth)
        .tokenLifetime(Duration.ofSeconds(tokenLifetime))
        .kafkaTimeout(Duration.ofSeconds(kafkaTimeout));
    if (audience != null) {
      b.audience(audience);
    }
    for (String client : clients) {
      try {
        b.client(OAuthClient.parse(client));
      } catch (IllegalArgumentException e) {
        throw usage("bad --client: " + e.getMessage());
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (message != null && message.startsWith("authorization on needs")) {
        message = "--auth=true needs at least one --client=id:secret:scopes[:sub]";
      }
      throw usage(message);
    }
  }

  @Override
  public Integer call() {
    LocalManagementApi.Config config = config();
    try {
      api = LocalManagementApi.start(config);
    } catch (RuntimeException e) {
      err.println("local-mgmt-api: cannot start: " + e.getMessage());
      return 1;
    }
    out.println("local-mgmt-api: listening on " + api.baseUrl());
    out.flush();
    return 0;
  }

  /** Kafka's clients log every configuration at INFO; keep the console readable unless told otherwise. */
  private static void quietKafkaLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
  }
}

package org.hri.local.mgmt;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local HRI Management API until the process is killed (local only; production uses the real HRI
 * Management API).
 *
 * <pre>
 * LocalManagementApiMain [--port=1323] [--brokers=127.0.0.1:9092] [--validation=true|false]
 *                        [--auth=true|false] [--client=id:secret:scope1 scope2[:sub]]... [--audience=aud]
 *                        [--token-lifetime=seconds] [--kafka-timeout=seconds]
 * </pre>
 *
 * <p>Prints {@code local-mgmt-api: listening on http://127.0.0.1:<port>/hri} once it serves. A bad flag prints
 * one line on stderr and exits with 2; a failed start (Kafka unreachable, port taken) exits with 1.
 */
public final class LocalManagementApiMain {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int DEFAULT_PORT = 1323;
  static final String DEFAULT_BROKERS = "127.0.0.1:9092";

  static final String USAGE = String.join("\n",
      "Usage: LocalManagementApiMain [options]",
      "Local stand-in for the HRI Management API (local only; production uses the real HRI Management API).",
      "  --port=N                  HTTP port on 127.0.0.1 (default " + DEFAULT_PORT + "; 0 picks a free one)",
      "  --brokers=HOST:PORT[,..]  Kafka bootstrap servers (default " + DEFAULT_BROKERS + ")",
      "  --validation=true|false   sendComplete gives sendCompleted (true, default) or completed (false)",
      "  --auth=true|false         require OAuth bearer tokens on batch endpoints (default false)",
      "  --client=ID:SECRET:SCOPES[:SUB]",
      "                            an OAuth client for --auth=true (repeatable); SCOPES separated by spaces",
      "                            or commas, e.g. 'di1:s3cret:tenant_t1 hri_data_integrator:di1'",
      "  --audience=AUD            tokens must have been requested for this audience (default: not checked)",
      "  --token-lifetime=SECONDS  lifetime of issued tokens (default 3600)",
      "  --kafka-timeout=SECONDS   Kafka call timeout (default 10)",
      "  --help                    this text",
      "");

  private LocalManagementApiMain() {}

  /** A bad command line; the message is the one line printed. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

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

  /** Parses the flags and starts the API; prints the listening line, the usage or one error line. */
  static Launch launch(String[] args, PrintStream out, PrintStream err) {
    LocalManagementApi.Config config;
    try {
      config = parse(args);
    } catch (UsageException e) {
      err.println("local-mgmt-api: " + e.getMessage());
      err.flush();
      return new Launch(null, EXIT_USAGE);
    }
    if (config == null) {
      out.print(USAGE);
      out.flush();
      return new Launch(null, EXIT_OK);
    }
    LocalManagementApi api;
    try {
      api = LocalManagementApi.start(config);
    } catch (RuntimeException e) {
      err.println("local-mgmt-api: cannot start: " + e.getMessage());
      err.flush();
      return new Launch(null, EXIT_FAILURE);
    }
    out.println("local-mgmt-api: listening on " + api.baseUrl());
    out.flush();
    return new Launch(api, EXIT_OK);
  }

  /**
   * The configuration the flags describe, or null for {@code --help}. Flags are {@code --name=value} or
   * {@code --name value}; {@code --validation} and {@code --auth} alone mean true.
   */
  static LocalManagementApi.Config parse(String[] args) throws UsageException {
    LocalManagementApi.Config.Builder b = LocalManagementApi.Config.builder()
        .port(DEFAULT_PORT)
        .bootstrapServers(DEFAULT_BROKERS);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'; see --help");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? null : arg.substring(eq + 1);
      boolean flagIsBoolean = name.equals("validation") || name.equals("auth");
      if (value == null && !flagIsBoolean && isKnown(name)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("--" + name + " needs a value; see --help");
        }
        value = args[++i];
      }
      switch (name) {
        case "port" -> b.port(intValue(name, value, 0, 65535));
        case "brokers" -> b.bootstrapServers(nonEmpty(name, value));
        case "validation" -> b.validation(booleanValue(name, value));
        case "auth" -> b.auth(booleanValue(name, value));
        case "client" -> {
          try {
            b.client(OAuthClient.parse(value));
          } catch (IllegalArgumentException e) {
            throw new UsageException("bad --client: " + e.getMessage());
          }
        }
        case "audience" -> b.audience(nonEmpty(name, value));
        case "token-lifetime" -> b.tokenLifetime(Duration.ofSeconds(intValue(name, value, 1, Integer.MAX_VALUE)));
        case "kafka-timeout" -> b.kafkaTimeout(Duration.ofSeconds(intValue(name, value, 1, 3600)));
        default -> throw new UsageException("unknown option '--" + name + "'; see --help");
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (message != null && message.startsWith("authorization on needs")) {
        message = "--auth=true needs at least one --client=id:secret:scopes[:sub]";
      }
      throw new UsageException(message);
    }
  }

  private static boolean isKnown(String name) {
    return switch (name) {
      case "port", "brokers", "client", "audience", "token-lifetime", "kafka-timeout" -> true;
      default -> false;
    };
  }

  private static int intValue(String name, String value, int min, int max) throws UsageException {
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min || v > max) {
        throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got '" + value + "'");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  private static boolean booleanValue(String name, String value) throws UsageException {
    if (value == null || value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new UsageException("--" + name + " must be true or false, got '" + value + "'");
  }

  private static String nonEmpty(String name, String value) throws UsageException {
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " needs a value");
    }
    return value;
  }

  /** Kafka's clients log every configuration at INFO; keep the console readable unless told otherwise. */
  private static void quietKafkaLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
  }
}

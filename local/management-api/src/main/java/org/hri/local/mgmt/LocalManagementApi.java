package org.hri.local.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the HRI Management API (spec §4), for the quickstart and the end-to-end tests. <b>Local
 * only; production uses the real HRI Management API.</b>
 *
 * <p>It serves, on {@code 127.0.0.1}, the batch endpoints under {@code /hri} (create, list, get, sendComplete,
 * terminate, processingComplete, fail), {@code GET /hri/healthcheck}, {@code GET /alive} and an OAuth
 * client-credentials token endpoint at {@code <oauthUrl>/token}. Every status change writes the whole updated
 * batch to the batch's notification topic (key = batch id) and waits for Kafka's acknowledgement before it is
 * stored and answered. The batches live in memory and are rebuilt on start from the notification topics
 * ({@code ingest.*.notification}), so they survive a restart on the same broker.
 *
 * <p>Every request must name this server in its {@code Host} header (a loopback name or address, or a
 * configured {@linkplain Config.Builder#allowedHost allowed host}; 421 otherwise), and every {@code POST} and
 * {@code PUT} under {@code /hri} must be {@code Content-Type: application/json} (415 otherwise): a web page the
 * developer happens to open can then neither reach the API through a rebound DNS name nor post a form to it.
 *
 * <pre>{@code
 * try (LocalManagementApi api = LocalManagementApi.start(
 *     LocalManagementApi.Config.builder().bootstrapServers("127.0.0.1:9092").build())) {
 *   String base = api.baseUrl();   // http://127.0.0.1:<port>/hri
 * }
 * }</pre>
 */
public final class LocalManagementApi implements AutoCloseable {
  /** The integrator id of batches created while authorization is off (as in the real API). */
  public static final String NO_AUTH_INTEGRATOR = "NoAuthUnkIntegrator";

  private static final Logger LOG = LoggerFactory.getLogger(LocalManagementApi.class);
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Set<String> ACTIONS = Set.of("sendComplete", "terminate", "processingComplete", "fail");
  private static final String HEALTH_FAILURE =
      "HRI Service Temporarily Unavailable | error Detail: Kafka status: Kafka Connection/Read Partition failed";
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");
  static final String MSG_MISDIRECTED =
      "Misdirected Request: the Host header must be localhost, 127.0.0.1, [::1] or an allowed host name";
  static final String MSG_NOT_JSON = "Unsupported Media Type: the Content-Type must be application/json";

  static {
    // The JDK server writes headers and body in separate segments; without TCP_NODELAY every answer waits
    // for the client's delayed ACK (~40 ms). Read once, when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Config config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final NotificationLog log;
  private final BatchService batches;
  private final TokenService tokens;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalManagementApi(Config config, HttpServer server, ExecutorService executor, NotificationLog log,
      BatchService batches, TokenService tokens) {
    this.config = config;
    this.server = server;
    this.executor = executor;
    this.log = log;
    this.batches = batches;
    this.tokens = tokens;
  }

  /**
   * Rebuilds the batches from Kafka's notification topics and starts serving.
   *
   * @throws IllegalStateException if Kafka cannot be read or the port cannot be bound
   */
  public static LocalManagementApi start(Config config) {
    Objects.requireNonNull(config, "config");
    NotificationLog log = new NotificationLog(config);
    ExecutorService executor = null;
    try {
      BatchStore store = new BatchStore();
      AtomicLong unreadable = new AtomicLong();
      long read = log.replay((topic, value) -> {
        if (value == null) {
          unreadable.incrementAndGet();
          return;
        }
        try {
          store.put(NotificationLog.tenantOf(topic), BatchService.normalize(BatchNotification.fromJson(value)));
        } catch (IOException | RuntimeException e) {
          unreadable.incrementAndGet(); // the parser's message may quote the payload: count it only
        }
      });
      TokenService tokens = new TokenService(config);
      BatchService batches = new BatchService(store, log, config.validation(), config.clock());
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 50);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
      }
      executor = Executors.newFixedThreadPool(8, daemonThreads());
      server.setExecutor(executor);
      LocalManagementApi api = new LocalManagementApi(config, server, executor, log, batches, tokens);
      server.createContext("/", api::handle);
      server.start();
      LOG.info("Local HRI Management API (local only) listening on {}; validation {}, auth {}; {} batches "
              + "restored from {} notifications{}", api.baseUrl(), config.validation() ? "on" : "off",
          config.auth() ? "on" : "off", store.size(), read,
          unreadable.get() == 0 ? "" : " (" + unreadable.get() + " unreadable skipped)");
      return api;
    } catch (RuntimeException e) {
      if (executor != null) {
        executor.shutdownNow();
      }
      log.close();
      throw e;
    }
  }

  /** The API base URL, {@code http://127.0.0.1:<port>/hri}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/hri";
  }

  /** The OAuth base URL, {@code http://127.0.0.1:<port>/oauth}; tokens come from {@code <oauthUrl>/token}. */
  public String oauthUrl() {
    return "http://127.0.0.1:" + port() + "/oauth";
  }

  /** The port the server listens on (the ephemeral one chosen when the configured port was 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public Config config() {
    return config;
  }

  /** Stops serving and closes the Kafka clients. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
    LOG.info("Local HRI Management API on port {} stopped", port());
  }

  // -----------------------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) {
    String requestId = UUID.randomUUID().toString();
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    int status;
    try (exchange) {
      exchange.getResponseHeaders().set("X-Request-Id", requestId);
      try {
        if (!isServedHost(single(exchange, "Host"), config.allowedHosts())) {
          throw new ApiException(421, MSG_MISDIRECTED);
        }
        byte[] body = readBody(exchange);
        Reply reply = route(exchange, method, segments(rawPath), body);
        status = reply.status();
        if (reply.text() != null) {
          sendText(exchange, status, reply.text());
        } else {
          send(exchange, status, reply.body());
        }
      } catch (ApiException e) {
        status = e.status();
        send(exchange, status, errorDetail(requestId, e.description()));
      } catch (TokenService.OAuthError e) {
        status = e.status;
        ObjectNode error = JsonNodeFactory.instance.objectNode()
            .put("error", e.error).put("error_description", e.getMessage());
        if (status == 401) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"hri-local\"");
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, error);
      } catch (RuntimeException e) {
        status = 500;
        LOG.error("Request {} {} failed", method, rawPath, e);
        send(exchange, status, errorDetail(requestId, "Internal error: " + e.getClass().getSimpleName()));
      }
      LOG.debug("{} {} -> {}", method, rawPath, status);
    } catch (IOException e) {
      LOG.debug("{} {}: could not answer: {}", method, rawPath, e.toString());
    }
  }

  private Reply route(HttpExchange exchange, String method, List<String> path, byte[] body)
      throws ApiException, TokenService.OAuthError {
    int n = path.size();
    if (n == 1 && path.get(0).equals("alive")) {
      allow(method, "GET");
      return Reply.text(200, "yes");
    }
    if (n == 2 && path.get(0).equals("oauth") && path.get(1).equals("token")) {
      allow(method, "POST");
      TokenService.Issued issued =
          tokens.issue(exchange.getRequestHeaders().getFirst("Authorization"), parseForm(body));
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      ObjectNode answer = JsonNodeFactory.instance.objectNode()
          .put("access_token", issued.accessToken())
          .put("token_type", "Bearer")
          .put("expires_in", issued.expiresInSeconds())
          .put("scope", String.join(" ", issued.scopes()));
      return Reply.json(200, answer);
    }
    if (n >= 2 && path.get(0).equals("hri")) {
      if (n == 2 && path.get(1).equals("healthcheck")) {
        allow(method, "GET");
        if (!log.healthy()) {
          throw new ApiException(503, HEALTH_FAILURE);
        }
        return Reply.empty(200);
      }
      if (n >= 4 && path.get(1).equals("tenants") && path.get(3).equals("batches")) {
        String tenant = path.get(2);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        BatchService.Authenticator auth = () -> tokens.authenticate(authorization, tenant);
        if (n == 4) {
          if (method.equals("GET")) {
            return batches.list(tenant, parseQuery(exchange.getRequestURI().getRawQuery()), auth);
          }
          allow(method, "POST", "GET");
          requireJson(exchange);
          return batches.create(tenant, body, auth);
        }
        String batchId = path.get(4);
        if (n == 5) {
          allow(method, "GET");
          return batches.get(tenant, batchId, auth);
        }
        if (n == 7 && path.get(5).equals("action") && ACTIONS.contains(path.get(6))) {
          allow(method, "PUT");
          requireJson(exchange);
          return switch (path.get(6)) {
            case "sendComplete" -> batches.sendComplete(tenant, batchId, body, auth);
            case "terminate" -> batches.terminate(tenant, batchId, body, auth);
            case "processingComplete" -> batches.processingComplete(tenant, batchId, body, auth);
            default -> batches.fail(tenant, batchId, body, auth);
          };
        }
      }
    }
    throw ApiException.notFound("Not Found");
  }

  private static void allow(String method, String... allowed) throws ApiException {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new ApiException(405, "Method Not Allowed");
  }

  /**
   * Whether a {@code Host} header names this server: a loopback name or address, or an allowed name, with any
   * port. A page whose DNS name was rebound to 127.0.0.1 still sends its own name, so it is refused (421).
   */
  static boolean isServedHost(String host, Set<String> allowedHosts) {
    if (host == null) {
      return false;
    }
    String name = host.trim().toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf(']')) { // a port follows (the colons of [::1] are inside the brackets)
      if (!PORT.matcher(name.substring(colon + 1)).matches()) {
        return false;
      }
      name = name.substring(0, colon);
    }
    return LOOPBACK_HOSTS.contains(name) || allowedHosts.contains(name);
  }

  /** Whether a Content-Type is JSON: {@code application/json}, any case, parameters (charset) allowed. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().equalsIgnoreCase("application/json");
  }

  /** Bodies must be JSON: a browser sends form and text/plain posts cross-site without asking first (415). */
  private static void requireJson(HttpExchange exchange) throws ApiException {
    if (!isJson(single(exchange, "Content-Type"))) {
      throw new ApiException(415, MSG_NOT_JSON);
    }
  }

  /** The value of a request header that is sent exactly once, else null (absent or ambiguous). */
  private static String single(HttpExchange exchange, String name) {
    List<String> values = exchange.getRequestHeaders().get(name);
    return values != null && values.size() == 1 ? values.get(0) : null;
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The ErrorDetail body of every error answer. */
  static ObjectNode errorDetail(String requestId, String description) {
    return JsonNodeFactory.instance.objectNode()
        .put("errorEventId", requestId)
        .put("errorDescription", description);
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException, ApiException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }

  /** Percent-decoded path segments, trailing slashes ignored. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    if (rawPath == null) {
      return out;
    }
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Query parameters, first value of each name wins. */
  static Map<String, String> parseQuery(String rawQuery) throws ApiException {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.putIfAbsent(key, value);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Malformed query string");
      }
    }
    return params;
  }

  private static Map<String, String> parseForm(byte[] body) throws TokenService.OAuthError {
    try {
      return parseQuery(new String(body, StandardCharsets.UTF_8));
    } catch (ApiException e) {
      throw new TokenService.OAuthError(400, "invalid_request", "Malformed form body");
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "local-mgmt-api-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // -----------------------------------------------------------------------------------------------------------
  // Configuration

  /** How to run the local Management API. Immutable; build with {@link #builder()}. */
  public static final class Config {
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9._-]+|\\[[0-9a-f:.]+]");

    private final int port;
    private final String bootstrapServers;
    private final boolean validation;
    private final boolean auth;
    private final List<OAuthClient> clients;
    private final Duration tokenLifetime;
    private final String audience;
    private final Map<String, String> kafkaProperties;
    private final Duration kafkaTimeout;
    private final Clock clock;
    private final Set<String> allowedHosts;

    private Config(Builder b) {
      if (b.port < 0 || b.port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535");
      }
      if (b.bootstrapServers == null || b.bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("Kafka bootstrap servers are required");
      }
      if (b.tokenLifetime == null || b.tokenLifetime.isNegative() || b.tokenLifetime.isZero()) {
        throw new IllegalArgumentException("token lifetime must be positive");
      }
      if (b.kafkaTimeout == null || b.kafkaTimeout.toMillis() < 1000) {
        throw new IllegalArgumentException("Kafka timeout must be at least 1 s");
      }
      Map<String, OAuthClient> byId = new LinkedHashMap<>();
      for (OAuthClient client : b.clients) {
        if (byId.put(client.clientId(), client) != null) {
          throw new IllegalArgumentException("OAuth client " + client.clientId() + " is declared twice");
        }
      }
      if (b.auth && byId.isEmpty()) {
        throw new IllegalArgumentException("authorization on needs at least one OAuth client");
      }
      for (String host : b.allowedHosts) {
        if (!HOST_NAME.matcher(host).matches()) {
          throw new IllegalArgumentException("allowed host '" + host + "' must be a host name without a port");
        }
      }
      this.port = b.port;
      this.bootstrapServers = b.bootstrapServers;
      this.validation = b.validation;
      this.auth = b.auth;
      this.clients = List.copyOf(byId.values());
      this.tokenLifetime = b.tokenLifetime;
      this.audience = b.audience == null || b.audience.isEmpty() ? null : b.audience;
      this.kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafkaProperties));
      this.kafkaTimeout = b.kafkaTimeout;
      this.clock = Objects.requireNonNull(b.clock, "clock");
      this.allowedHosts = Set.copyOf(b.allowedHosts);
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The HTTP port on 127.0.0.1; 0 picks a free one. */
    public int port() {
      return port;
    }

    public String bootstrapServers() {
      return bootstrapServers;
    }

    /** Validation on: sendComplete moves a batch to sendCompleted; off: to completed. */
    public boolean validation() {
      return validation;
    }

    /** Authorization on: batch endpoints need a bearer token from the local token endpoint. */
    public boolean auth() {
      return auth;
    }

    /** The OAuth clients the token endpoint accepts when authorization is on. */
    public List<OAuthClient> clients() {
      return clients;
    }

    public Duration tokenLifetime() {
      return tokenLifetime;
    }

    /** The audience tokens must have been issued for, or null when not checked. */
    public String audience() {
      return audience;
    }

    /** Extra Kafka client properties (e.g. security settings), for the admin, producer and consumer. */
    public Map<String, String> kafkaProperties() {
      return kafkaProperties;
    }

    /** How long a Kafka call (metadata, write acknowledgement) may take before it counts as failed. */
    public Duration kafkaTimeout() {
      return kafkaTimeout;
    }

    /** The clock of batch dates and token expiry. */
    public Clock clock() {
      return clock;
    }

    /** Host names (lower case, no port) accepted in the {@code Host} header besides the loopback ones. */
    public Set<String> allowedHosts() {
      return allowedHosts;
    }

    /** Everything but client secrets and Kafka property values (which may hold passwords). */
    @Override
    public String toString() {
      return "Config{port=" + port + ", bootstrapServers=" + bootstrapServers + ", validation=" + validation
          + ", auth=" + auth + ", clients=" + clients + ", tokenLifetime=" + tokenLifetime + ", audience="
          + audience + ", kafkaProperties=" + kafkaProperties.keySet() + ", kafkaTimeout=" + kafkaTimeout
          + ", allowedHosts=" + allowedHosts + "}";
    }

    /** Builds a {@link Config}: bootstrap servers are required; validation on and authorization off by default. */
    public static final class Builder {
      private int port;
      private String bootstrapServers;
      private boolean validation = true;
      private boolean auth;
      private final List<OAuthClient> clients = new ArrayList<>();
      private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
      private String audience;
      private final Map<String, String> kafkaProperties = new HashMap<>();
      private Duration kafkaTimeout = DEFAULT_KAFKA_TIMEOUT;
      private Clock clock = Clock.systemUTC();
      private final Set<String> allowedHosts = new LinkedHashSet<>();

      private Builder() {}

      /** The HTTP port; 0 (the default) picks a free one. */
      public Builder port(int port) {
        this.port = port;
        return this;
      }

      public Builder bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
      }

      public Builder validation(boolean validation) {
        this.validation = validation;
        return this;
      }

      public Builder auth(boolean auth) {
        this.auth = auth;
        return this;
      }

      /** Adds an OAuth client (used when authorization is on). */
      public Builder client(OAuthClient client) {
        this.clients.add(Objects.requireNonNull(client, "client"));
        return this;
      }

      public Builder clients(List<OAuthClient> clients) {
        clients.forEach(this::client);
        return this;
      }

      public Builder tokenLifetime(Duration tokenLifetime) {
        this.tokenLifetime = tokenLifetime;
        return this;
      }

      /** Tokens must carry this audience; null or empty (the default) accepts any. */
      public Builder audience(String audience) {
        this.audience = audience;
        return this;
      }

      public Builder kafkaProperty(String key, String value) {
        this.kafkaProperties.put(key, value);
        return this;
      }

      public Builder kafkaTimeout(Duration kafkaTimeout) {
        this.kafkaTimeout = kafkaTimeout;
        return this;
      }

      /** The clock of batch dates and token expiry (tests). */
      public Builder clock(Clock clock) {
        this.clock = clock;
        return this;
      }

      /**
       * Also accepts this name (no port; any case) in the {@code Host} header, for a name that resolves to
       * 127.0.0.1 or a local proxy in front of the API. localhost, 127.0.0.1 and [::1] always are.
       */
      public Builder allowedHost(String name) {
        this.allowedHosts.add(Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT));
        return this;
      }

      public Config build() {
        return new Config(this);
      }
    }
  }
}

package org.hri.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-process stand-in for the HRI Management API and its OAuth token endpoint, on 127.0.0.1 and an
 * ephemeral port. It records every request, serves the batch endpoints the pipeline calls with the status
 * state machine of the real API, and lets a test script failures:
 *
 * <pre>{@code
 * try (FakeManagementApi api = FakeManagementApi.start()) {
 *   api.putBatch("b1", batchJson);                                   // status sendCompleted
 *   api.respondWith("PUT", "/action/processingComplete", 500, 4);    // next 4 such PUTs fail
 *   ... run the code under test against api.baseUrl() and api.oauthUrl() ...
 *   assertThat(api.requests("PUT", "/action/processingComplete"), hasSize(5));
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /oauth/token}; {@code GET /hri/tenants/{t}/batches/{b}}; {@code PUT
 * /hri/tenants/{t}/batches/{b}/action/processingComplete} and {@code .../action/fail}. Batch calls need a
 * bearer token this server issued (else 401). Errors carry an ErrorDetail body {@code {"errorEventId",
 * "errorDescription"}}. The tenant in the path is not checked: batches are stored by id only.
 */
public final class FakeManagementApi implements AutoCloseable {
  /** Headers Java's HTTP client adds by itself; a client under test cannot leave them out. */
  public static final Set<String> TRANSPORT_HEADERS =
      Set.of("host", "connection", "accept", "user-agent", "content-length");

  private static final DateTimeFormatter HRI_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

  private final HttpServer server;
  private final ExecutorService executor;
  private final String origin;
  private final List<Request> requests = new ArrayList<>(); // guarded by this
  private final List<Script> scripts = new ArrayList<>(); // guarded by this
  private final Map<String, Map<String, Object>> batches = new HashMap<>(); // guarded by this
  private final Set<String> issuedTokens = new HashSet<>(); // guarded by this
  private Long tokenExpiresInSeconds = 3600L; // guarded by this; null leaves expires_in out
  private Consumer<String> batchListener = json -> {}; // guarded by this

  /** One request as the server saw it. Header names are lower case; the path is raw (still encoded). */
  public record Request(String method, String url, String path, Map<String, List<String>> headers, String body) {
    public Request {
      headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Names of the headers the client chose to send, without {@link #TRANSPORT_HEADERS}. */
    public Set<String> clientHeaderNames() {
      Set<String> names = new HashSet<>(headers.keySet());
      names.removeAll(TRANSPORT_HEADERS);
      return names;
    }

    /** The body decoded as an {@code application/x-www-form-urlencoded} form. */
    public Map<String, String> form() {
      Map<String, String> form = new LinkedHashMap<>();
      if (body.isEmpty()) {
        return form;
      }
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        form.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
      return form;
    }
  }

  /** A scripted answer; {@code remaining} below zero means forever. */
  private static final class Script {
    final String method;
    final String pathSuffix;
    final int status;
    final String description;
    final String retryAfter;
    int remaining;

    Script(String method, String pathSuffix, int status, String description, int remaining, String retryAfter) {
      this.method = method;
      this.retryAfter = retryAfter;
      this.pathSuffix = pathSuffix;
      this.status = status;
      this.description = description;
      this.remaining = remaining;
    }
  }

  private FakeManagementApi(HttpServer server, ExecutorService executor, String scheme) {
    this.server = server;
    this.executor = executor;
    this.origin = scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeManagementApi start() throws IOException {
    return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
  }

  /** Starts an HTTPS server on 127.0.0.1 and a free port, with the certificate of {@code tls}. */
  public static FakeManagementApi startHttps(SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return start(server, "https");
  }

  private static FakeManagementApi start(HttpServer server, String scheme) {
    ExecutorService executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "fake-management-api");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    FakeManagementApi api = new FakeManagementApi(server, executor, scheme);
    server.createContext("/", api::handle);
    server.start();
    return api;
  }

  /** The Management API base URL, ending with {@code /hri}. */
  public String baseUrl() {
    return origin + "/hri";
  }

  /** The OAuth base URL; tokens are issued at {@code oauthUrl() + "/token"}. */
  public String oauthUrl() {
    return origin + "/oauth";
  }

  // ---- batches ----

  /** Stores (or replaces) a batch; {@code json} is the batch document as GET returns it. */
  public synchronized void putBatch(String batchId, String json) {
    batches.put(batchId, MiniJson.parseObject(json));
  }

  /** The stored batch document, as GET would return it. */
  public synchronized Optional<String> batchJson(String batchId) {
    return Optional.ofNullable(batches.get(batchId)).map(MiniJson::write);
  }

  /** The stored batch's {@code status}, e.g. {@code "completed"}. */
  public synchronized Optional<String> batchStatus(String batchId) {
    return Optional.ofNullable(batches.get(batchId)).map(batch -> (String) batch.get("status"));
  }

  /**
   * Called with the updated batch document after each successful processingComplete or fail, on the
   * server's thread, e.g. to publish it to a notification topic as the real API does.
   */
  public synchronized void onBatchUpdated(Consumer<String> listener) {
    this.batchListener = listener;
  }

  // ---- tokens ----

  /** The {@code expires_in} of issued tokens, in seconds; null leaves the field out. Default 3600. */
  public synchronized void tokenExpiresIn(Long seconds) {
    this.tokenExpiresInSeconds = seconds;
  }

  /** How many tokens were issued so far. */
  public synchronized int tokensIssued() {
    return issuedTokens.size();
  }

  // ---- scripted answers ----

  /**
   * The next {@code times} requests with this method whose path ends with {@code pathSuffix} are answered
   * with {@code status} and nothing else happens. Non-2xx answers carry an ErrorDetail with a default
   * description for the status (e.g. 400 "Bad request", 401 "Unauthorized", 500 "Internal server error").
   */
  public void respondWith(String method, String pathSuffix, int status, int times) {
    respondWith(method, pathSuffix, status, times, defaultDescription(status));
  }

  /** As {@link #respondWith(String, String, int, int)}, with the given errorDescription. */
  public void respondWith(String method, String pathSuffix, int status, int times, String description) {
    script(new Script(method, pathSuffix, status, description, times, null));
  }

  /** As {@link #respondWith(String, String, int, int)}, with a {@code Retry-After} header of {@code retryAfter}. */
  public void respondWithRetryAfter(String method, String pathSuffix, int status, int times, String retryAfter) {
    script(new Script(method, pathSuffix, status, defaultDescription(status), times, retryAfter));
  }

  private synchronized void script(Script script) {
    if (script.remaining <= 0) {
      throw new IllegalArgumentException("times must be positive");
    }
    scripts.add(script);
  }

  /** Every matching request is answered with {@code status} until {@link #clearScriptedResponses()}. */
  public synchronized void alwaysRespondWith(String method, String pathSuffix, int status) {
    scripts.add(new Script(method, pathSuffix, status, defaultDescription(status), -1, null));
  }

  /** Drops all scripted answers; the server behaves normally again. */
  public synchronized void clearScriptedResponses() {
    scripts.clear();
  }

  // ---- recorded requests ----

  /** Every request so far, in arrival order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests with this method whose raw path ends with {@code pathSuffix}. */
  public synchronized List<Request> requests(String method, String pathSuffix) {
    return requests.stream().filter(matching(method, pathSuffix)).toList();
  }

  /** Forgets the recorded requests. */
  public synchronized void clearRequests() {
    requests.clear();
  }

  /**
   * Waits until at least {@code count} matching requests were recorded; returns them, or fails with an
   * AssertionError after {@code timeout}.
   */
  public synchronized List<Request> awaitRequests(String method, String pathSuffix, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Request> matches = requests(method, pathSuffix);
      long left = deadline - System.nanoTime();
      if (matches.size() >= count) {
        return matches;
      }
      if (left <= 0) {
        throw new AssertionError(
            "Expected " + count + " " + method + " requests to ..." + pathSuffix + " within " + timeout
                + " but saw " + matches.size());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- request handling ----

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      String url = origin + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
      Request request = new Request(exchange.getRequestMethod(), url, rawPath, headers, body);

      Response response;
      Runnable afterResponse = () -> {};
      synchronized (this) {
        requests.add(request);
        notifyAll();
        Script script = takeScript(request);
        if (script != null) {
          response =
              script.status < 300 ? new Response(script.status, "", null) : error(script.status, script.description);
          if (script.retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", script.retryAfter);
          }
        } else {
          try {
            response = route(request);
          } catch (RuntimeException e) {
            response = error(500, "Internal server error");
          }
          if (response.updatedBatch != null) {
            Consumer<String> listener = batchListener;
            String json = response.updatedBatch;
            afterResponse = () -> listener.accept(json);
          }
        }
      }
      send(exchange, response);
      afterResponse.run();
    } finally {
      exchange.close();
    }
  }

  private Script takeScript(Request request) {
    for (Script script : scripts) {
      if (matching(script.method, script.pathSuffix).test(request)) {
        if (script.remaining > 0 && --script.remaining == 0) {
          scripts.remove(script);
        }
        return script;
      }
    }
    return null;
  }

  private static Predicate<Request> matching(String method, String pathSuffix) {
    return request -> request.method().equalsIgnoreCase(method) && request.path().endsWith(pathSuffix);
  }

  private Response route(Request request) {
    List<String> segments = new ArrayList<>();
    for (String raw : request.path().split("/", -1)) {
      // URLDecoder turns '+' into a space, which is wrong in a path, so protect it first.
      segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    // segments[0] is "" (the path starts with '/').
    if (request.method().equals("POST") && segments.equals(List.of("", "oauth", "token"))) {
      return token();
    }
    boolean batchPath =
        segments.size() >= 6 && segments.get(1).equals("hri") && segments.get(2).equals("tenants")
            && segments.get(4).equals("batches");
    if (!batchPath) {
      return error(404, "Not found");
    }
    String tenant = segments.get(3);
    String batchId = segments.get(5);
    String auth = request.header("authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !issuedTokens.contains(auth.substring("Bearer ".length()))) {
      return error(401, "Unauthorized");
    }
    if (segments.size() == 6 && request.method().equals("GET")) {
      return getBatch(tenant, batchId);
    }
    if (segments.size() == 8 && segments.get(6).equals("action") && request.method().equals("PUT")) {
      switch (segments.get(7)) {
        case "processingComplete":
          return processingComplete(tenant, batchId, request.body());
        case "fail":
          return fail(tenant, batchId, request.body());
        default:
          break;
      }
    }
    return error(404, "Not found");
  }

  private Response token() {
    String token = "token-" + (issuedTokens.size() + 1);
    issuedTokens.add(token);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    if (tokenExpiresInSeconds != null) {
      body.put("expires_in", tokenExpiresInSeconds);
    }
    return new Response(200, MiniJson.write(body), null);
  }

  private Response getBatch(String tenant, String batchId) {
    Map<String, Object> batch = batches.get(batchId);
    if (batch == null) {
      return error(404, notFound(tenant, batchId));
    }
    return new Response(200, MiniJson.write(batch), null);
  }

  private Response processingComplete(String tenant, String batchId, String body) {
    Map<String, Object> request = parseOrNull(body);
    Long actual = count(request, "actualRecordCount");
    Long invalid = count(request, "invalidRecordCount");
    if (actual == null || invalid == null) {
      return error(400, "Invalid request");
    }
    Map<String, Object> batch = batches.get(batchId);
    if (batch == null) {
      return error(404, "error getting current Batch Status: " + notFound(tenant, batchId));
    }
    Object status = batch.get("status");
    if (!"sendCompleted".equals(status)) {
      return error(409, "processingComplete failed, batch is in '" + status + "' state");
    }
    batch.put("status", "completed");
    batch.put("actualRecordCount", actual);
    batch.put("invalidRecordCount", invalid);
    batch.put("endDate", now());
    return new Response(200, "", MiniJson.write(batch));
  }

  private Response fail(String tenant, String batchId, String body) {
    Map<String, Object> request = parseOrNull(body);
    Long actual = count(request, "actualRecordCount");
    Long invalid = count(request, "invalidRecordCount");
    Object message = request == null ? null : request.get("failureMessage");
    if (actual == null || invalid == null || !(message instanceof String) || ((String) message).isEmpty()) {
      return error(400, "Invalid request");
    }
    Map<String, Object> batch = batches.get(batchId);
    if (batch == null) {
      return error(404, "error getting current Batch Status: " + notFound(tenant, batchId));
    }
    Object status = batch.get("status");
    if ("terminated".equals(status) || "failed".equals(status)) {
      return error(409, "'fail' failed, batch is in '" + status + "' state");
    }
    batch.put("status", "failed");
    batch.put("actualRecordCount", actual);
    batch.put("invalidRecordCount", invalid);
    batch.put("failureMessage", message);
    batch.put("endDate", now());
    return new Response(200, "", MiniJson.write(batch));
  }

  private static Map<String, Object> parseOrNull(String body) {
    try {
      return MiniJson.parseObject(body);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Long count(Map<String, Object> request, String field) {
    Object value = request == null ? null : request.get(field);
    return value instanceof Long count && count >= 0 ? count : null;
  }

  private static String notFound(String tenant, String batchId) {
    return "The document for tenantId: " + tenant + " with document (batch) ID: " + batchId + " was not found";
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).format(HRI_DATE_TIME);
  }

  private static Response error(int status, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errorEventId", UUID.randomUUID().toString());
    body.put("errorDescription", description);
    return new Response(status, MiniJson.write(body), null);
  }

  private static String defaultDescription(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 500 -> "Internal server error";
      case 502 -> "Bad gateway";
      case 503 -> "Service unavailable";
      case 504 -> "Gateway timeout";
      default -> "HTTP error " + status;
    };
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    }
    exchange.sendResponseHeaders(response.status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** An answer; {@code updatedBatch} is the batch document when the call changed a batch. */
  private record Response(int status, String body, String updatedBatch) {}
}

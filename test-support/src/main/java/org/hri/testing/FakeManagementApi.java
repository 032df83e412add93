package org.hri.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.Function;
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
 * /hri/tenants/{t}/batches/{b}/action/processingComplete} and {@code .../action/fail} (the pipeline's calls);
 * {@code POST /hri/tenants/{t}/batches}, {@code PUT .../action/sendComplete} and {@code .../action/terminate}
 * (a Data Integrator's calls; what the pipeline would then decide is up to the test, see
 * {@link #onSendComplete}). Batch calls need a bearer token this server issued (else 401) unless
 * {@link #acceptCallsWithoutToken()}. Errors carry an ErrorDetail body {@code {"errorEventId",
 * "errorDescription"}}. The tenant in the path is not checked: batches are stored by id only.
 */
public final class FakeManagementApi implements AutoCloseable {
  /** Headers Java's HTTP client adds by itself; a client under test cannot leave them out. */
  public static final Set<String> TRANSPORT_HEADERS =
      Set.of("host", "connection", "accept", "user-agent", "content-length");

  private static final DateTimeFormatter HRI_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String origin;
  private final List<Request> requests = new ArrayList<>(); // guarded by this
  private final List<Script> scripts = new ArrayList<>(); // guarded by this
  private final Map<String, ObjectNode> batches = new HashMap<>(); // guarded by this
  private final Set<String> issuedTokens = new HashSet<>(); // guarded by this
  private Long tokenExpiresInSeconds = 3600L; // guarded by this; null leaves expires_in out
  private Consumer<String> batchListener = json -> {}; // guarded by this
  private boolean tokenRequired = true; // guarded by this
  private int batchesCreated; // guarded by this
  private Runnable onCreate = () -> {}; // guarded by this
  private Function<JsonNode, Verdict> verdicts = batch -> Verdict.none(); // guarded by this

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

    /** The body parsed as JSON; an AssertionError when it is not JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
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

  /**
   * What the pipeline makes of a batch once the Data Integrator has called sendComplete: a final status
   * ({@code completed} or {@code failed}) with its counts, or {@link #none()}, the batch stays
   * {@code sendCompleted} (until a processingComplete or fail call, as with the real API).
   */
  public record Verdict(String status, long actual, long invalid, String failureMessage) {
    public static Verdict completed(long actual, long invalid) {
      return new Verdict("completed", actual, invalid, null);
    }

    public static Verdict failed(long actual, long invalid, String failureMessage) {
      return new Verdict("failed", actual, invalid, failureMessage);
    }

    public static Verdict none() {
      return new Verdict(null, 0, 0, null);
    }

    /** Every record valid: the counts are the batch's {@code expectedRecordCount}. */
    public static Verdict allValid(JsonNode batch) {
      return completed(batch.path("expectedRecordCount").asLong(), 0);
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
    ObjectNode batch = parseObjectOrNull(json);
    if (batch == null) {
      throw new IllegalArgumentException("Not a JSON object: " + json);
    }
    batches.put(batchId, batch);
  }

  /** The stored batch document, as GET would return it. */
  public synchronized Optional<String> batchJson(String batchId) {
    return Optional.ofNullable(batches.get(batchId)).map(JsonNode::toString);
  }

  /** The stored batch's {@code status}, e.g. {@code "completed"}. */
  public synchronized Optional<String> batchStatus(String batchId) {
    return Optional.ofNullable(batches.get(batchId)).map(batch -> batch.path("status").asText(null));
  }

  /** The ids of the stored batches, those created through the API included. */
  public synchronized Set<String> batchIds() {
    return Set.copyOf(batches.keySet());
  }

  /**
   * Decides each batch's fate when sendComplete is called ({@link Verdict#none()} until this is called); the
   * function gets the batch document, status {@code sendCompleted}, and runs on the server's thread.
   */
  public synchronized void onSendComplete(Function<JsonNode, Verdict> verdicts) {
    this.verdicts = verdicts;
  }

  /** Runs {@code action} while a create batch request is served, before the answer is sent. */
  public synchronized void onCreate(Runnable action) {
    this.onCreate = action;
  }

  /** Batch calls no longer need a bearer token (a Data Integrator without OAuth). */
  public synchronized void acceptCallsWithoutToken() {
    this.tokenRequired = false;
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
    boolean batchesPath =
        segments.size() >= 5 && segments.get(1).equals("hri") && segments.get(2).equals("tenants")
            && segments.get(4).equals("batches");
    if (!batchesPath) {
      return error(404, "Not found");
    }
    String tenant = segments.get(3);
    String auth = request.header("authorization");
    boolean validToken =
        auth != null && auth.startsWith("Bearer ") && issuedTokens.contains(auth.substring("Bearer ".length()));
    if (tokenRequired && !validToken) {
      return error(401, "Unauthorized");
    }
    if (segments.size() == 5 && request.method().equals("POST")) {
      return create(tenant, request.body());
    }
    String batchId = segments.size() >= 6 ? segments.get(5) : "";
    if (segments.size() == 6 && request.method().equals("GET")) {
      return getBatch(tenant, batchId);
    }
    if (segments.size() == 8 && segments.get(6).equals("action") && request.method().equals("PUT")) {
      String action = segments.get(7);
      switch (action) {
        case "processingComplete":
        case "fail":
        case "sendComplete":
        case "terminate":
          return action(tenant, batchId, action, parseObjectOrNull(request.body()));
        default:
          break;
      }
    }
    return error(404, "Not found");
  }

  private Response token() {
    String token = "token-" + (issuedTokens.size() + 1);
    issuedTokens.add(token);
    ObjectNode body = JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer");
    if (tokenExpiresInSeconds != null) {
      body.put("expires_in", tokenExpiresInSeconds);
    }
    return new Response(200, body.toString(), null);
  }

  private Response create(String tenant, String body) {
    ObjectNode request = parseObjectOrNull(body);
    if (request == null || !request.path("name").isTextual() || !request.path("topic").isTextual()
        || !request.path("dataType").isTextual()) {
      return error(400, "Invalid request");
    }
    String id = "batch-" + ++batchesCreated;
    ObjectNode batch = JSON.createObjectNode()
        .put("id", id)
        .put("name", request.get("name").asText())
        .put("integratorId", "NoAuthUnkIntegrator")
        .put("topic", request.get("topic").asText())
        .put("dataType", request.get("dataType").asText())
        .put("status", "started")
        .put("startDate", now());
    long threshold = request.path("invalidThreshold").asLong(0);
    batch.put("invalidThreshold", threshold == 0 ? -1 : threshold);
    if (request.has("metadata")) {
      batch.set("metadata", request.get("metadata"));
    }
    batches.put(id, batch);
    onCreate.run();
    return new Response(201, JSON.createObjectNode().put("id", id).toString(), batch.toString());
  }

  private Response getBatch(String tenant, String batchId) {
    ObjectNode batch = batches.get(batchId);
    if (batch == null) {
      return error(404, notFound(tenant, batchId));
    }
    return new Response(200, batch.toString(), null);
  }

  /** The four actions on a batch: each checks its body, then the batch's status, then changes it. */
  private Response action(String tenant, String batchId, String action, ObjectNode body) {
    Long actual = count(body, "actualRecordCount");
    Long invalid = count(body, "invalidRecordCount");
    JsonNode message = body == null ? null : body.get("failureMessage");
    boolean valid = switch (action) {
      case "processingComplete" -> actual != null && invalid != null;
      case "fail" -> actual != null && invalid != null && message != null && message.isTextual()
          && !message.asText().isEmpty();
      case "sendComplete" -> count(body, "expectedRecordCount") != null;
      default -> true;
    };
    if (!valid) {
      return error(400, "Invalid request");
    }
    ObjectNode batch = batches.get(batchId);
    if (batch == null) {
      return error(404, "error getting current Batch Status: " + notFound(tenant, batchId));
    }
    String status = batch.path("status").asText();
    boolean allowed = switch (action) {
      case "processingComplete" -> status.equals("sendCompleted");
      case "fail" -> !status.equals("terminated") && !status.equals("failed");
      default -> status.equals("started");
    };
    if (!allowed) {
      String name = action.equals("fail") ? "'fail'" : action;
      return error(409, name + " failed, batch is in '" + status + "' state");
    }
    switch (action) {
      case "processingComplete" -> finish(batch, "completed", actual, invalid, null);
      case "fail" -> finish(batch, "failed", actual, invalid, message.asText());
      case "terminate" -> batch.put("status", "terminated").put("endDate", now());
      default -> {
        long expected = count(body, "expectedRecordCount");
        batch.put("status", "sendCompleted").put("recordCount", expected).put("expectedRecordCount", expected);
        Verdict verdict = verdicts.apply(batch.deepCopy());
        if (verdict.status() != null) {
          finish(batch, verdict.status(), verdict.actual(), verdict.invalid(), verdict.failureMessage());
        }
      }
    }
    return new Response(200, "", batch.toString());
  }

  private static void finish(ObjectNode batch, String status, long actual, long invalid, String failureMessage) {
    batch.put("status", status);
    batch.put("actualRecordCount", actual);
    batch.put("invalidRecordCount", invalid);
    if (failureMessage != null) {
      batch.put("failureMessage", failureMessage);
    }
    batch.put("endDate", now());
  }

  private static ObjectNode parseObjectOrNull(String body) {
    try {
      return JSON.readTree(body) instanceof ObjectNode object ? object : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Long count(ObjectNode request, String field) {
    JsonNode value = request == null ? null : request.get(field);
    return value != null && value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0
        ? value.asLong() : null;
  }

  private static String notFound(String tenant, String batchId) {
    return "The document for tenantId: " + tenant + " with document (batch) ID: " + batchId + " was not found";
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).format(HRI_DATE_TIME);
  }

  private static Response error(int status, String description) {
    ObjectNode body = JSON.createObjectNode()
        .put("errorEventId", UUID.randomUUID().toString())
        .put("errorDescription", description);
    return new Response(status, body.toString(), null);
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

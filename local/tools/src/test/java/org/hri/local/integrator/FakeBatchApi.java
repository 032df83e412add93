package org.hri.local.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;

/**
 * A tiny stand-in for the Management API's Data Integrator endpoints (create, get, sendComplete, terminate)
 * and the OAuth token endpoint, for tests. The test decides each batch's fate at sendComplete with
 * {@link #onSendComplete}; by default a batch completes with every record valid. Not a faithful API: no
 * ownership checks, any tenant.
 */
final class FakeBatchApi implements AutoCloseable {
  /** One request as received. */
  record Request(String method, String path, String authorization, String contentType, String body) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /**
   * What validation makes of a batch after sendComplete: a final status and counts, or ({@code status} null)
   * nothing: the batch stays sendCompleted.
   */
  record Verdict(BatchStatus status, long actual, long invalid, String failureMessage) {
    static Verdict completed(long actual, long invalid) {
      return new Verdict(BatchStatus.COMPLETED, actual, invalid, null);
    }

    static Verdict failed(long actual, long invalid, String message) {
      return new Verdict(BatchStatus.FAILED, actual, invalid, message);
    }

    static Verdict never() {
      return new Verdict(null, 0, 0, null);
    }
  }

  static final String TOKEN_PREFIX = "token-";
  private static final Pattern BATCHES = Pattern.compile("/hri/tenants/([^/]+)/batches");
  private static final Pattern BATCH = Pattern.compile("/hri/tenants/([^/]+)/batches/([^/]+)");
  private static final Pattern ACTION = Pattern.compile("/hri/tenants/([^/]+)/batches/([^/]+)/action/([^/]+)");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final boolean auth;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, BatchNotification> batches = new ConcurrentHashMap<>();
  private final Map<String, Integer> failNext = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger tokens = new AtomicInteger();
  private volatile Runnable onCreate = () -> {};
  private volatile Function<BatchNotification, Verdict> verdicts = b -> Verdict.completed(b.expectedCount(), 0);

  private FakeBatchApi(boolean auth) throws IOException {
    this.auth = auth;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A server; with {@code auth} the batch endpoints need a bearer token from its token endpoint. */
  static FakeBatchApi start(boolean auth) throws IOException {
    return new FakeBatchApi(auth);
  }

  String mgmtUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hri";
  }

  String oauthUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth";
  }

  /** Runs {@code action} while a create request is served, before the answer is sent. */
  void onCreate(Runnable action) {
    this.onCreate = action;
  }

  void onSendComplete(Function<BatchNotification, Verdict> verdicts) {
    this.verdicts = verdicts;
  }

  /** The next call of {@code action} ("create", "get", "sendComplete", "terminate") answers {@code status}. */
  void failNext(String action, int status) {
    failNext.put(action, status);
  }

  BatchNotification batch(String id) {
    return batches.get(id);
  }

  Map<String, BatchNotification> batches() {
    return Map.copyOf(batches);
  }

  /** Requests with this method whose path ends with {@code pathSuffix}. */
  List<Request> requests(String method, String pathSuffix) {
    List<Request> found = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals(method) && r.path().endsWith(pathSuffix)) {
        found.add(r);
      }
    }
    return found;
  }

  List<Request> creates() {
    return requests("POST", "/batches");
  }

  int tokenRequests() {
    return tokens.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(method, path, authorization, exchange.getRequestHeaders().getFirst("Content-Type"),
          body));
      if (method.equals("POST") && path.equals("/oauth/token")) {
        String token = TOKEN_PREFIX + tokens.incrementAndGet();
        reply(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":3600}");
        return;
      }
      if (auth && (authorization == null || !authorization.startsWith("Bearer " + TOKEN_PREFIX))) {
        error(exchange, 401, "Authorization token validation failed");
        return;
      }
      Matcher m;
      if ((m = ACTION.matcher(path)).matches() && method.equals("PUT")) {
        action(exchange, m.group(2), m.group(3), body);
      } else if ((m = BATCH.matcher(path)).matches() && method.equals("GET")) {
        if (scriptedFailure(exchange, "get")) {
          return;
        }
        BatchNotification batch = batches.get(m.group(2));
        if (batch == null) {
          error(exchange, 404, "The document for tenantId: " + m.group(1) + " with document (batch) ID: "
              + m.group(2) + " was not found");
        } else {
          reply(exchange, 200, new String(batch.toJson(), StandardCharsets.UTF_8));
        }
      } else if ((m = BATCHES.matcher(path)).matches() && method.equals("POST")) {
        if (scriptedFailure(exchange, "create")) {
          return;
        }
        JsonNode request = Json.mapper().readTree(body);
        String id = "batch-" + ids.incrementAndGet();
        long threshold = request.has("invalidThreshold") && request.get("invalidThreshold").asLong() != 0
            ? request.get("invalidThreshold").asLong() : -1;
        batches.put(id, new BatchNotification(id, request.get("name").asText(), "NoAuthUnkIntegrator",
            request.get("topic").asText(), request.get("dataType").asText(), BatchStatus.STARTED, now(), null, null,
            null, null, threshold, null, request.get("metadata"), null));
        onCreate.run();
        reply(exchange, 201, "{\"id\":\"" + id + "\"}");
      } else {
        error(exchange, 404, "no route " + method + " " + path);
      }
    } catch (RuntimeException e) {
      throw new IOException(e);
    }
  }

  private void action(HttpExchange exchange, String id, String action, String body) throws IOException {
    if (scriptedFailure(exchange, action)) {
      return;
    }
    BatchNotification b = batches.get(id);
    if (b == null) {
      error(exchange, 404, "error getting current Batch Status: not found");
      return;
    }
    synchronized (this) {
      b = batches.get(id);
      if (b.status() != BatchStatus.STARTED) {
        error(exchange, 409, action + " failed, batch is in '" + b.status().json() + "' state");
        return;
      }
      if (action.equals("terminate")) {
        batches.put(id, b.withVerdict(BatchStatus.TERMINATED, 0, 0, null, now()));
      } else if (action.equals("sendComplete")) {
        long expected = Json.mapper().readTree(body).get("expectedRecordCount").asLong();
        BatchNotification sent = new BatchNotification(id, b.name(), b.integratorId(), b.topic(), b.dataType(),
            BatchStatus.SEND_COMPLETED, b.startDate(), null, expected, expected, null, b.invalidThreshold(), null,
            b.metadata(), null);
        Verdict verdict = verdicts.apply(sent);
        batches.put(id, verdict.status() == null ? sent : sent.withVerdict(verdict.status(), verdict.actual(),
            verdict.invalid(), verdict.failureMessage(), now()));
      } else {
        error(exchange, 404, "no action " + action);
        return;
      }
    }
    reply(exchange, 200, "");
  }

  private boolean scriptedFailure(HttpExchange exchange, String action) throws IOException {
    Integer status = failNext.remove(action);
    if (status != null) {
      error(exchange, status, "scripted failure of " + action);
      return true;
    }
    return false;
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static void error(HttpExchange exchange, int status, String description) throws IOException {
    reply(exchange, status, Json.mapper().createObjectNode().put("errorEventId", "e1")
        .put("errorDescription", description).toString());
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

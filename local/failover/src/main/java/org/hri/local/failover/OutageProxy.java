package org.hri.local.failover;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sits between the job and the Management API: forwards every request, except that
 *
 * <ul>
 *   <li>while an outage is on ({@link #outageFor}) it answers every {@code /hri/} call itself, cycling through
 *       the outage's statuses call by call (a 429 carries {@code Retry-After: 1});
 *   <li>outside an outage, a call for a batch with an injected status ({@link #answer}: method and batch id,
 *       the id percent-decoded from the path segment after {@code /batches/}) is answered with that status.
 * </ul>
 *
 * Records what the job asked and what it got. Never logs or keeps request or response bodies.
 */
final class OutageProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "upgrade", "expect");
  private static final String BATCHES = "/batches";

  /**
   * One call seen by the proxy. {@code batchId} is the decoded path segment after {@code /batches/} ("" for
   * {@code .../batches/}), null for paths without one; {@code injected} when the proxy answered it itself.
   */
  record Call(Instant at, String method, String path, String batchId, int status, boolean injected) {
    /** A call for this batch, with this method, whose path ends with {@code suffix} ("" for any). */
    boolean is(String method, String batchId, String suffix) {
      return this.method.equals(method) && batchId.equals(this.batchId) && path.endsWith(suffix);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> injected = new ConcurrentHashMap<>();
  private final AtomicLong outageCalls = new AtomicLong();
  private volatile Instant outageUntil = Instant.MIN;
  private volatile int[] outageStatuses = {503};

  OutageProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** For {@code duration} from now every {@code /hri/} call is answered 503. */
  void outageFor(Duration duration) {
    outageFor(duration, 503);
  }

  /**
   * For {@code duration} from now every {@code /hri/} call is answered by the proxy with the given statuses in
   * turn (the first call gets the first, the next the second, ...); a 429 answer carries {@code Retry-After: 1}.
   */
  void outageFor(Duration duration, int... statuses) {
    if (statuses.length == 0) {
      throw new IllegalArgumentException("an outage needs at least one status");
    }
    outageStatuses = statuses.clone();
    outageCalls.set(0);
    outageUntil = Instant.now().plus(duration);
  }

  /** From now on every {@code method} call for batch {@code batchId} (any action under it) is answered {@code status}. */
  void answer(String method, String batchId, int status) {
    injected.put(key(method, batchId), status);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  private static String key(String method, String batchId) {
    return method.toUpperCase(Locale.ROOT) + " " + batchId;
  }

  /**
   * The batch id in a raw path {@code .../batches/<segment>[/...]}, percent-decoded as UTF-8 ('+' stays '+',
   * as the job encodes a space as %20); "" for {@code .../batches/}; null when there is no such segment.
   */
  static String batchId(String rawPath) {
    int at = rawPath.indexOf(BATCHES + "/");
    if (at < 0) {
      return null;
    }
    int start = at + BATCHES.length() + 1;
    int end = rawPath.indexOf('/', start);
    return percentDecode(rawPath.substring(start, end < 0 ? rawPath.length() : end));
  }

  static String percentDecode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()
          && Character.digit(segment.charAt(i + 1), 16) >= 0 && Character.digit(segment.charAt(i + 2), 16) >= 0) {
        bytes.write(Character.digit(segment.charAt(i + 1), 16) * 16 + Character.digit(segment.charAt(i + 2), 16));
        i += 2;
      } else {
        int codePoint = segment.codePointAt(i);
        byte[] raw = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String batchId = batchId(path);
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status;
      byte[] answer;
      boolean own = true;
      Integer forced = batchId == null ? null : injected.get(key(method, batchId));
      if (path.startsWith("/hri/") && Instant.now().isBefore(outageUntil)) {
        int[] statuses = outageStatuses;
        status = statuses[(int) (outageCalls.getAndIncrement() % statuses.length)];
        if (status == 429) {
          exchange.getResponseHeaders().add("Retry-After", "1");
        }
        answer = errorDetail("outage", status);
      } else if (path.startsWith("/hri/") && forced != null) {
        status = forced;
        answer = errorDetail("injected", status);
      } else {
        own = false;
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
            values.forEach(value -> request.header(name, value));
          }
        });
        HttpResponse<byte[]> response;
        try {
          response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        status = response.statusCode();
        answer = response.body();
        response.headers().firstValue("content-type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
        response.headers().firstValue("retry-after").ifPresent(t -> exchange.getResponseHeaders().add("Retry-After", t));
      }
      if (own) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      calls.add(new Call(Instant.now(), method, path, batchId, status, own));
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** An HRI ErrorDetail body naming only the status (no request data). */
  private static byte[] errorDetail(String eventId, int status) {
    return ("{\"errorEventId\":\"" + eventId + "\",\"errorDescription\":\"HTTP " + status + " from the test proxy\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

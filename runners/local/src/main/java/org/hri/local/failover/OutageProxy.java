package org.hri.local.failover;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sits between the job and the Management API: forwards every request, except that while an outage is on
 * it answers every {@code /hri/} call with 503 itself. Records what the job asked and what it got.
 */
final class OutageProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "upgrade", "expect");

  record Call(String method, String path, int status) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Instant outageUntil = Instant.MIN;

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

  void outageFor(java.time.Duration duration) {
    outageUntil = Instant.now().plus(duration);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status;
      byte[] answer;
      if (path.startsWith("/hri/") && Instant.now().isBefore(outageUntil)) {
        status = 503;
        answer = "{\"errorEventId\":\"outage\",\"errorDescription\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8);
      } else {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
          if (!HOP_BY_HOP.contains(name.toLowerCase())) {
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
      }
      calls.add(new Call(exchange.getRequestMethod(), path, status));
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

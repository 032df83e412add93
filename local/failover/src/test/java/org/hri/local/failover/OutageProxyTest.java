package org.hri.local.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy over real HTTP: a small backend server, the proxy in front of it, and a JDK client. */
class OutageProxyTest {
  private HttpServer backend;
  private final List<String> backendSaw = new CopyOnWriteArrayList<>();
  private OutageProxy proxy;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        String seen = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        backendSaw.add(seen);
        byte[] body = ("backend " + seen).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    backend.start();
    proxy = new OutageProxy("http://127.0.0.1:" + backend.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.stop(0);
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    HttpRequest.BodyPublisher body =
        method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
    return client.send(
        HttpRequest.newBuilder(URI.create(proxy.origin() + path)).method(method, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsWhatNothingIsInjectedFor() throws Exception {
    HttpResponse<String> response = call("GET", "/hri/tenants/t/batches/b1");
    assertEquals(200, response.statusCode());
    assertEquals("backend GET /hri/tenants/t/batches/b1", response.body());
    OutageProxy.Call call = proxy.calls().get(0);
    assertEquals("b1", call.batchId());
    assertEquals(200, call.status());
    assertFalse(call.injected());
  }

  @Test
  void answersAnInjectedStatusForOneBatchAndMethodOnly() throws Exception {
    String id = "b 1/ä+x"; // the job sends it as one percent-encoded path segment
    String segment = "b%201%2F%C3%A4%2Bx";
    proxy.answer("GET", id, 414);
    proxy.answer("PUT", "b2", 404);

    HttpResponse<String> lookup = call("GET", "/hri/tenants/t/batches/" + segment);
    assertEquals(414, lookup.statusCode());
    assertTrue(lookup.body().contains("HTTP 414"), lookup.body());
    assertEquals(200, call("PUT", "/hri/tenants/t/batches/" + segment + "/action/processingComplete").statusCode());
    assertEquals(200, call("GET", "/hri/tenants/t/batches/b2").statusCode());
    assertEquals(404, call("PUT", "/hri/tenants/t/batches/b2/action/processingComplete").statusCode());
    assertEquals(404, call("PUT", "/hri/tenants/t/batches/b2/action/fail").statusCode());
    assertEquals(200, call("GET", "/hri/tenants/t/batches/b22").statusCode());
    assertEquals(200, call("GET", "/hri/tenants/t/batches").statusCode());

    // Injected answers never reach the backend.
    assertEquals(
        List.of(
            "PUT /hri/tenants/t/batches/" + segment + "/action/processingComplete",
            "GET /hri/tenants/t/batches/b2",
            "GET /hri/tenants/t/batches/b22",
            "GET /hri/tenants/t/batches"),
        backendSaw);
    List<OutageProxy.Call> calls = proxy.calls();
    assertEquals(id, calls.get(0).batchId());
    assertTrue(calls.get(0).injected());
    assertTrue(calls.get(3).is("PUT", "b2", "/action/processingComplete"));
    assertEquals(404, calls.get(3).status());
    assertTrue(calls.get(3).injected());
    assertNull(calls.get(6).batchId());
    assertEquals(2, calls.stream().filter(c -> c.is("PUT", "b2", "")).count());
  }

  @Test
  void batchIdOfAnEmptySegmentIsEmpty() {
    assertEquals("", OutageProxy.batchId("/hri/tenants/t/batches/"));
    assertEquals("", OutageProxy.batchId("/hri/tenants/t/batches//action/fail"));
    assertNull(OutageProxy.batchId("/hri/tenants/t/batches"));
    assertEquals("100%", OutageProxy.batchId("/hri/tenants/t/batches/100%"));
    assertEquals("\u0007", OutageProxy.batchId("/hri/tenants/t/batches/%07"));
  }

  @Test
  void anOutageAnswersEveryHriCallWithItsStatusesInTurnAndThenEnds() throws Exception {
    proxy.answer("GET", "b9", 400);
    proxy.outageFor(Duration.ofMillis(1500), 429, 503);

    HttpResponse<String> first = call("GET", "/hri/tenants/t/batches/b1");
    assertEquals(429, first.statusCode());
    assertEquals("1", first.headers().firstValue("Retry-After").orElse(null));
    HttpResponse<String> second = call("PUT", "/hri/tenants/t/batches/b1/action/processingComplete");
    assertEquals(503, second.statusCode());
    assertTrue(second.headers().firstValue("Retry-After").isEmpty());
    assertEquals(429, call("GET", "/hri/tenants/t/batches/b9").statusCode()); // the outage wins over injections
    assertEquals(200, call("POST", "/oauth/token").statusCode()); // only /hri/ is affected
    assertEquals(List.of("POST /oauth/token"), backendSaw);

    Thread.sleep(1600);
    assertEquals(200, call("GET", "/hri/tenants/t/batches/b1").statusCode());
    assertEquals(400, call("GET", "/hri/tenants/t/batches/b9").statusCode());
    assertEquals(
        List.of(429, 503, 429, 200, 200, 400), proxy.calls().stream().map(OutageProxy.Call::status).toList());
  }

  @Test
  void theOldOutageIs503Only() throws Exception {
    proxy.outageFor(Duration.ofSeconds(5));
    assertEquals(503, call("GET", "/hri/tenants/t/batches/b1").statusCode());
    assertEquals(503, call("GET", "/hri/tenants/t/batches/b1").statusCode());
  }
}

package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Real HTTP calls to a {@link LocalManagementApi}, and small JSON helpers for assertions. */
final class Http {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private final String root; // http://127.0.0.1:<port>
  private final int port;

  Http(LocalManagementApi api) {
    this.root = api.baseUrl().substring(0, api.baseUrl().length() - "/hri".length());
    this.port = api.port();
  }

  /** An answer: status, body text and headers. */
  record Res(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      return Http.json(body);
    }

    /** Asserts an ErrorDetail answer with this status and description (and a UUID event id). */
    void assertError(int expectedStatus, String description) {
      assertThat("status of " + body, status, is(expectedStatus));
      JsonNode node = json();
      List<String> fields = new ArrayList<>();
      node.fieldNames().forEachRemaining(fields::add);
      assertThat(fields, containsInAnyOrder("errorEventId", "errorDescription"));
      UUID.fromString(node.get("errorEventId").asText());
      assertThat(node.get("errorDescription").asText(), equalTo(description));
      assertThat(headers.firstValue("Content-Type").orElse(""), equalTo("application/json; charset=UTF-8"));
    }

    void assertEmpty(int expectedStatus) {
      assertThat("status of " + body, status, is(expectedStatus));
      assertThat(body, equalTo(""));
    }
  }

  Res get(String path) {
    return send("GET", path, null, null);
  }

  Res get(String path, String token) {
    return send("GET", path, null, bearer(token));
  }

  Res post(String path, String body) {
    return send("POST", path, body, null);
  }

  Res post(String path, String body, String token) {
    return send("POST", path, body, bearer(token));
  }

  Res put(String path, String body) {
    return send("PUT", path, body, null);
  }

  Res put(String path, String body, String token) {
    return send("PUT", path, body, bearer(token));
  }

  private static String bearer(String token) {
    return token == null ? null : "Bearer " + token;
  }

  /**
   * Any request; {@code path} starts with {@code /}; body and authorization may be null. POST and PUT say
   * {@code Content-Type: application/json}, as the project's clients do.
   */
  Res send(String method, String path, String body, String authorization) {
    boolean json = method.equals("POST") || method.equals("PUT");
    return send(method, path, json ? "application/json" : null, body, authorization);
  }

  /** A request with this Content-Type (null: none). */
  Res send(String method, String path, String contentType, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return call(b.build());
  }

  /** A token request: HTTP Basic credentials (unless null) and a form body. */
  Res token(String clientId, String secret, String form) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + "/oauth/token"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (clientId != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }
    return call(b.build());
  }

  /** A fresh access token for a client, with the given scopes (space-separated) and audience. */
  String accessToken(String clientId, String secret, String scope, String audience) {
    String form = "grant_type=client_credentials&scope=" + scope.replace(" ", "+")
        + (audience == null ? "" : "&audience=" + audience);
    Res res = token(clientId, secret, form);
    assertThat("token for " + clientId + ": " + res.body(), res.status(), is(200));
    return res.json().get("access_token").asText();
  }

  /**
   * A request written as is on a socket, for the {@code Host} headers the JDK client does not let a caller
   * set: the request line, then {@code headers} ("Name: value"; none added but Content-Length and
   * Connection: close), then the body (may be null).
   */
  Res raw(String method, String path, String body, String... headers) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      String[] lines = answer.substring(0, end).split("\r\n");
      Map<String, List<String>> fields = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        fields.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      return new Res(status, answer.substring(end + 4), HttpHeaders.of(fields, (k, v) -> true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  private static Res call(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Res(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + text, e);
    }
  }

  static JsonNode json(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("Not JSON", e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}

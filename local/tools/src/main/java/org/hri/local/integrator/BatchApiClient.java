package org.hri.local.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.Json;

/**
 * The Management API endpoints a Data Integrator uses (spec §4.4): create a batch, sendComplete, terminate,
 * and get a batch. With OAuth settings it sends a client-credentials bearer token with the scopes
 * {@code hri_data_integrator tenant_<t>}, cached until shortly before it expires (and fetched again once when
 * the API answers 401). Any 2xx answer is success; any other is an {@link ApiException}. No call is retried
 * here: creating a batch twice would make two batches.
 *
 * <p>Calls are not interruptible: an interrupt while a call runs is kept in the thread's flag and the call
 * completes (each is bounded by the request timeout). Otherwise an interrupted create could make a batch whose
 * id nobody learns, which then could not be terminated. Thread-safe.
 */
public final class BatchApiClient {
  /** An answer other than 2xx from the Management API or the token endpoint. */
  public static final class ApiException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int statusCode;

    public ApiException(int statusCode, String message) {
      super(message);
      this.statusCode = statusCode;
    }

    public int statusCode() {
      return statusCode;
    }
  }

  /** OAuth2 client-credentials settings; the token endpoint is {@code <oauthUrl>/token}. */
  public record OAuth(String oauthUrl, String clientId, String clientSecret, String audience) {
    public OAuth {
      Objects.requireNonNull(oauthUrl, "oauthUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(audience, "audience");
    }

    @Override
    public String toString() {
      return "OAuth[" + oauthUrl + ", " + clientId + ", " + audience + "]"; // never the secret
    }
  }

  /** A token is refreshed this long before it expires, or after 90% of its life for short-lived ones. */
  static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(60);
  /** How long a token answered without {@code expires_in} is reused. */
  static final Duration REUSE_WITHOUT_EXPIRY = Duration.ofMinutes(5);
  private static final int MAX_ERROR_TEXT = 300;

  private final String batchesUrl;
  private final String tenantId;
  private final OAuth oauth;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Clock clock;

  private final Object tokenLock = new Object();
  private String token; // guarded by tokenLock
  private Instant tokenRefreshAt = Instant.MIN; // guarded by tokenLock

  /**
   * @param mgmtUrl the API's base URL, ending in {@code /hri}
   * @param oauth token settings, or null when the API runs without authorization
   */
  public BatchApiClient(String mgmtUrl, String tenantId, OAuth oauth, Duration requestTimeout) {
    this(mgmtUrl, tenantId, oauth, requestTimeout, Clock.systemUTC());
  }

  BatchApiClient(String mgmtUrl, String tenantId, OAuth oauth, Duration requestTimeout, Clock clock) {
    String base = stripTrailingSlashes(Objects.requireNonNull(mgmtUrl, "mgmtUrl"));
    this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
    this.batchesUrl = base + "/tenants/" + segment(tenantId) + "/batches";
    this.oauth = oauth;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  public String tenantId() {
    return tenantId;
  }

  /** {@code POST .../batches}; returns the new batch's id. {@code invalidThreshold} -1 is left out (the default). */
  public String createBatch(String name, String topic, String dataType, long invalidThreshold, JsonNode metadata)
      throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("name", name);
    body.put("topic", topic);
    body.put("dataType", dataType);
    if (invalidThreshold != BatchNotification.NO_THRESHOLD) {
      body.put("invalidThreshold", invalidThreshold);
    }
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    HttpResponse<byte[]> response = send("POST", batchesUrl, body, "create batch");
    JsonNode answer = parse(response.body(), "create batch");
    JsonNode id = answer.get("id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw new ApiException(response.statusCode(), "create batch: the answer has no batch id");
    }
    return id.asText();
  }

  /** {@code PUT .../batches/{id}/action/sendComplete}. */
  public void sendComplete(String batchId, long expectedRecordCount, JsonNode metadata)
      throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("expectedRecordCount", expectedRecordCount);
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    send("PUT", batchUrl(batchId) + "/action/sendComplete", body, "sendComplete");
  }

  /** {@code PUT .../batches/{id}/action/terminate}. */
  public void terminate(String batchId, JsonNode metadata) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    send("PUT", batchUrl(batchId) + "/action/terminate", body, "terminate");
  }

  /** {@code GET .../batches/{id}}. */
  public BatchNotification getBatch(String batchId) throws IOException {
    HttpResponse<byte[]> response = send("GET", batchUrl(batchId), null, "get batch");
    try {
      return BatchNotification.fromJson(response.body());
    } catch (IOException e) {
      throw new ApiException(response.statusCode(), "get batch: unreadable answer");
    }
  }

  private String batchUrl(String batchId) {
    return batchesUrl + "/" + segment(batchId);
  }

  private HttpResponse<byte[]> send(String method, String url, JsonNode body, String what)
      throws IOException {
    HttpResponse<byte[]> response = sendOnce(method, url, body, false);
    if (response.statusCode() == 401 && oauth != null) {
      // The cached token may have been revoked or expired early: fetch a new one, once.
      response = sendOnce(method, url, body, true);
    }
    if (response.statusCode() / 100 != 2) {
      throw new ApiException(response.statusCode(), what + " failed: HTTP " + response.statusCode()
          + errorText(response.body()));
    }
    return response;
  }

  private HttpResponse<byte[]> sendOnce(String method, String url, JsonNode body, boolean freshToken)
      throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
        .header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (oauth != null) {
      request.header("Authorization", "Bearer " + token(freshToken));
    }
    return call(request.build());
  }

  /** Sends a request and waits for the answer, not giving up on an interrupt (the flag is kept). */
  private HttpResponse<byte[]> call(HttpRequest request) throws IOException {
    CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return answer.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          throw new IOException(cause == null ? e : cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The cached token, or a new one when none is cached, it is close to expiry, or {@code fresh} is asked. */
  private String token(boolean fresh) throws IOException {
    synchronized (tokenLock) {
      Instant now = clock.instant();
      if (!fresh && token != null && now.isBefore(tokenRefreshAt)) {
        return token;
      }
      String form = "grant_type=client_credentials"
          + "&scope=" + form("hri_data_integrator tenant_" + tenantId)
          + "&audience=" + form(oauth.audience());
      String basic = Base64.getEncoder().encodeToString(
          (oauth.clientId() + ":" + oauth.clientSecret()).getBytes(StandardCharsets.UTF_8));
      HttpRequest request = HttpRequest.newBuilder(URI.create(stripTrailingSlashes(oauth.oauthUrl()) + "/token"))
          .timeout(requestTimeout)
          .header("Authorization", "Basic " + basic)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
          .build();
      HttpResponse<byte[]> response = call(request);
      if (response.statusCode() / 100 != 2) {
        throw new ApiException(response.statusCode(), "token request failed: HTTP " + response.statusCode());
      }
      JsonNode answer = parse(response.body(), "token request");
      JsonNode accessToken = answer.get("access_token");
      if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isEmpty()) {
        throw new ApiException(response.statusCode(), "token request: the answer has no access_token");
      }
      JsonNode expiresIn = answer.get("expires_in");
      Duration life = expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
          ? Duration.ofSeconds(expiresIn.asLong())
          : REUSE_WITHOUT_EXPIRY;
      Duration margin = life.dividedBy(10);
      if (margin.compareTo(MAX_REFRESH_MARGIN) > 0) {
        margin = MAX_REFRESH_MARGIN;
      }
      token = accessToken.asText();
      tokenRefreshAt = now.plus(life).minus(margin);
      return token;
    }
  }

  private static JsonNode parse(byte[] body, String what) throws ApiException {
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(200, what + ": the answer is not a JSON object");
    }
    return node;
  }

  /** The ErrorDetail's {@code errorDescription} (or the start of a non-JSON body), for messages. */
  private static String errorText(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text;
    try {
      JsonNode node = Json.mapper().readTree(body);
      JsonNode description = node == null ? null : node.get("errorDescription");
      text = description != null ? description.asText() : new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      text = new String(body, StandardCharsets.UTF_8);
    }
    text = text.strip().replaceAll("\\s+", " ");
    if (text.length() > MAX_ERROR_TEXT) {
      text = text.substring(0, MAX_ERROR_TEXT) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String stripTrailingSlashes(String url) {
    String result = url;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}

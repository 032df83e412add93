package org.hri.pipeline.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.OpenCensusUtils;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.FileInputStream;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.InvalidNotificationException;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.secrets.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the three Management API endpoints the pipeline needs with an OAuth2 client-credentials
 * token. Any 2xx answer is success; any other answer is a {@link ManagementApiException}. The client
 * never retries: the retry policy belongs to the callers, who know whether a call may block.
 *
 * <p>Tokens are cached until shortly before they expire, in one cache per JVM and OAuth client shared by every
 * client instance (each DoFn instance has one), so a busy job does not fetch a token per call or per worker
 * thread. Thread-safe.
 */
public final class ManagementApiClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementApiClient.class);

  static final String TRUSTSTORE_ENV = "HRI_TRUSTSTORE";
  static final String TRUSTSTORE_PASSWORD_ENV = "HRI_TRUSTSTORE_PASSWORD";

  /** A token is refreshed this long before it expires, or sooner for short-lived tokens (10%). */
  static final Duration MAX_TOKEN_REFRESH_MARGIN = Duration.ofSeconds(60);
  /** How long a token without {@code expires_in} is reused. */
  static final Duration TOKEN_REUSE_WITHOUT_EXPIRY = Duration.ofMinutes(5);

  private final ManagementApiConfig config;
  private final HttpTransport transport;
  private final HttpRequestFactory requestFactory;
  private final Clock clock;

  private final SharedToken tokens;

  static {
    // With an OpenCensus implementation on the classpath (as on Flink), the library would add a trace header
    // to every request; the Management API gets exactly the headers this client chooses.
    OpenCensusUtils.setPropagationTextFormat(null);
  }

  private ManagementApiClient(ManagementApiConfig config, HttpTransport transport, Clock clock) {
    this.config = config;
    this.tokens = SharedToken.of(config);
    this.transport = transport;
    this.clock = clock;
    int connectMillis = toIntMillis(config.connectTimeout());
    int readMillis = toIntMillis(config.readTimeout());
    this.requestFactory =
        transport.createRequestFactory(
            request -> {
              request.setConnectTimeout(connectMillis);
              request.setReadTimeout(readMillis);
              request.setThrowExceptionOnExecuteError(false); // we classify statuses ourselves
              request.setNumberOfRetries(0);
              // Bodies may carry health data; the library would log them at CONFIG level.
              request.setLoggingEnabled(false);
              request.setCurlLoggingEnabled(false);
              request.setSuppressUserAgentSuffix(true);
              request.getHeaders().setAcceptEncoding(null);
            });
  }

  /**
   * A client trusting the JKS trust store named by {@code HRI_TRUSTSTORE} (password in {@code
   * HRI_TRUSTSTORE_PASSWORD}), or the JVM's default trust when the variable is unset.
   *
   * @throws IllegalArgumentException when the trust store is set without a password
   * @throws java.io.FileNotFoundException when the trust store file does not exist
   * @throws IOException when the trust store cannot be read, e.g. for a wrong password
   */
  public static ManagementApiClient create(ManagementApiConfig config) throws IOException {
    return create(config, System.getenv());
  }

  /** As {@link #create(ManagementApiConfig)}, reading the trust store variables from {@code env}. */
  static ManagementApiClient create(ManagementApiConfig config, Map<String, String> env) throws IOException {
    return create(config, env, Clock.systemUTC());
  }

  /** As {@link #create(ManagementApiConfig, Map)}, with the clock that decides when tokens expire. */
  static ManagementApiClient create(ManagementApiConfig config, Map<String, String> env, Clock clock)
      throws IOException {
    return new ManagementApiClient(config, transport(env), clock);
  }

  /** {@code GET /tenants/{t}/batches/{b}}: the batch as the API stores it. */
  public BatchNotification getBatch(String batchId) throws IOException {
    byte[] body = call("GET", batchUrl(batchId), null);
    try {
      return BatchNotification.fromJson(body);
    } catch (InvalidNotificationException e) {
      throw e; // readable, but not a valid batch: its message names the field
    } catch (IOException e) {
      // Jackson's message quotes the offending input; keep the body out of logs.
      throw new IOException(
          "Unreadable batch from the HRI Management API for batch " + batchId + " (" + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** {@code PUT .../action/processingComplete}: moves a sendCompleted batch to completed. */
  public void processingComplete(String batchId, long actualRecordCount, long invalidRecordCount)
      throws IOException {
    ObjectNode body = counts(actualRecordCount, invalidRecordCount);
    call("PUT", batchUrl(batchId) + "/action/processingComplete", json(body));
  }

  /** {@code PUT .../action/fail}: moves a batch to failed with the given message. */
  public void fail(String batchId, long actualRecordCount, long invalidRecordCount, String failureMessage)
      throws IOException {
    ObjectNode body = counts(actualRecordCount, invalidRecordCount).put("failureMessage", failureMessage);
    call("PUT", batchUrl(batchId) + "/action/fail", json(body));
  }

  @Override
  public void close() throws IOException {
    transport.shutdown();
  }

  // ---- HTTP ----

  /**
   * Calls the API with the cached token. A 401 or 403 may mean the token was revoked or its grants changed:
   * the call is repeated once with a new token before the answer counts.
   */
  private byte[] call(String method, String url, HttpContent content) throws IOException {
    String bearer = bearerToken();
    HttpResponse response = send(method, url, content, bearer);
    if (isAuthFailure(response.getStatusCode())) {
      readBody(response);
      tokens.forget(bearer);
      bearer = bearerToken();
      response = send(method, url, content, bearer);
    }
    byte[] body = readBody(response);
    if (!response.isSuccessStatusCode()) {
      int status = response.getStatusCode();
      if (isAuthFailure(status)) {
        tokens.forget(bearer); // the next call starts with a new token
      }
      throw ManagementApiException.answer(status, describe(response, body), retryAfter(response));
    }
    return body;
  }

  private static boolean isAuthFailure(int status) {
    return status == 401 || status == 403;
  }

  private HttpResponse send(String method, String url, HttpContent content, String bearer) throws IOException {
    HttpRequest request = requestFactory.buildRequest(method, new GenericUrl(url, true), content);
    request.getHeaders().setAuthorization("Bearer " + bearer);
    return execute(request);
  }

  /** Executes a request; a failed TLS handshake becomes one line that says what to do about it. */
  private static HttpResponse execute(HttpRequest request) throws IOException {
    try {
      return request.execute();
    } catch (SSLHandshakeException e) {
      throw new SSLHandshakeException(TlsFailure.describe(request.getUrl().getHost(), e));
    }
  }

  /** The wait a {@code Retry-After} header asks for, in seconds or as an HTTP date; null when absent or unreadable. */
  private Duration retryAfter(HttpResponse response) {
    return RetryAfter.parse(response.getHeaders().getFirstHeaderStringValue("Retry-After"), clock.instant());
  }

  /**
   * The ErrorDetail's description, else {@code HTTP <code>}. The JDK's HttpURLConnection discards the body of
   * a 401 answer to a request with content (PUT, POST), so there the status line's reason phrase stands in.
   */
  private static String describe(HttpResponse response, byte[] body) {
    String reason = response.getStatusMessage();
    if (response.getStatusCode() == 401 && body.length == 0 && reason != null && !reason.isBlank()) {
      return reason;
    }
    return ManagementApiException.describe(response.getStatusCode(), body);
  }

  private static byte[] readBody(HttpResponse response) throws IOException {
    try (InputStream in = response.getContent()) {
      return in == null ? new byte[0] : in.readAllBytes();
    }
  }

  private String batchUrl(String batchId) {
    return config.baseUrl() + "/tenants/" + pathSegment(config.tenantId()) + "/batches/" + pathSegment(batchId);
  }

  /** Percent-encodes one path segment; batch ids may hold any character, including '/'. */
  static String pathSegment(String value) {
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    // "." and ".." would be resolved as relative path steps.
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }

  private static ObjectNode counts(long actualRecordCount, long invalidRecordCount) {
    return Json.mapper()
        .createObjectNode()
        .put("actualRecordCount", actualRecordCount)
        .put("invalidRecordCount", invalidRecordCount);
  }

  private static HttpContent json(ObjectNode body) throws IOException {
    return new ByteArrayContent("application/json", Json.mapper().writeValueAsBytes(body));
  }

  // ---- OAuth ----

  /** A cached token, or a new one when the cached one is (nearly) expired. */
  String bearerToken() throws IOException {
    return tokens.get(clock, this::requestToken);
  }

  /** How long a token is reused: its lifetime minus min(60 s, 10% of it); 5 min without expires_in. */
  static Duration usableLifetime(Long expiresInSeconds) {
    if (expiresInSeconds == null) {
      return TOKEN_REUSE_WITHOUT_EXPIRY;
    }
    if (expiresInSeconds <= 0) {
      return Duration.ZERO;
    }
    Duration lifetime = Duration.ofSeconds(expiresInSeconds);
    Duration margin = lifetime.dividedBy(10);
    return lifetime.minus(margin.compareTo(MAX_TOKEN_REFRESH_MARGIN) < 0 ? margin : MAX_TOKEN_REFRESH_MARGIN);
  }

  private SharedToken.Token requestToken() throws IOException {
    String form =
        "grant_type=client_credentials"
            + "&scope=" + formValue("hri_internal hri_consumer tenant_" + config.tenantId())
            + "&audience=" + formValue(config.audience());
    HttpRequest request =
        requestFactory.buildRequest(
            "POST",
            new GenericUrl(config.tokenUrl()),
            new ByteArrayContent("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8)));
    request.getHeaders().setBasicAuthentication(config.clientId(), clientSecret());
    HttpResponse response = execute(request);
    byte[] body = readBody(response);
    if (!response.isSuccessStatusCode()) {
      int status = response.getStatusCode();
      throw ManagementApiException.tokenRequest(
          status, "OAuth token request failed: " + describe(response, body), retryAfter(response));
    }
    TokenResponse token = TokenResponse.parse(body);
    return new SharedToken.Token(token.accessToken(), clock.instant().plus(usableLifetime(token.expiresInSeconds())));
  }

  /** Read at each token request: a rotated secret file is picked up with the next token, e.g. after a 401. */
  private String clientSecret() throws IOException {
    try {
      return Secret.of("--clientSecret", config.clientSecret()).reveal();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage()); // a missing mount is stream-wide trouble: wait and retry
    }
  }

  private static String formValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The fields of an OAuth token answer we use. */
  private record TokenResponse(String accessToken, Long expiresInSeconds) {
    static TokenResponse parse(byte[] body) throws IOException {
      JsonNode node;
      try {
        node = Json.mapper().readTree(body);
      } catch (JsonProcessingException e) {
        throw new IOException("Unreadable OAuth token response (" + e.getClass().getSimpleName() + ")");
      }
      JsonNode accessToken = node == null ? null : node.get("access_token");
      if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isEmpty()) {
        throw new IOException("OAuth token response has no access_token");
      }
      JsonNode expiresIn = node.get("expires_in");
      Long seconds = null;
      if (expiresIn != null && expiresIn.canConvertToLong()) {
        seconds = expiresIn.asLong();
      } else if (expiresIn != null && expiresIn.isTextual() && expiresIn.asText().matches("\\d{1,18}")) {
        seconds = Long.parseLong(expiresIn.asText()); // some servers send it as a string
      }
      return new TokenResponse(accessToken.asText(), seconds);
    }
  }

  // ---- TLS ----

  private static HttpTransport transport(Map<String, String> env) throws IOException {
    String path = env.get(TRUSTSTORE_ENV);
    String password = env.get(TRUSTSTORE_PASSWORD_ENV);
    if (path == null || path.isEmpty()) {
      if (password != null && !password.isEmpty()) {
        LOG.warn("{} is set without {}; using the default trust store", TRUSTSTORE_PASSWORD_ENV, TRUSTSTORE_ENV);
      }
      return new NetHttpTransport();
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException(TRUSTSTORE_ENV + " is set but " + TRUSTSTORE_PASSWORD_ENV + " is not");
    }
    KeyStore trustStore;
    try (InputStream in = new FileInputStream(path)) { // FileNotFoundException for a bad path
      trustStore = KeyStore.getInstance("JKS");
      trustStore.load(in, password.toCharArray()); // IOException for a wrong password
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot load the trust store " + path, e);
    }
    try {
      LOG.info("Trusting the certificates in {} for HRI Management API calls", path);
      return new NetHttpTransport.Builder().trustCertificates(trustStore).build();
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot use the trust store " + path, e);
    }
  }

  private static int toIntMillis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }
}

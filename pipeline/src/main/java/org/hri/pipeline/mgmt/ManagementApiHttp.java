package org.hri.pipeline.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.secrets.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON calls to the HRI Management API as one OAuth2 client, for the job and for the local tools alike. Each
 * call carries a client-credentials bearer token with the configured scopes and the tenant's; tokens are cached
 * until shortly before they expire, in one cache per JVM and client shared by every instance (each DoFn
 * instance has one), and a call answered 401 or 403 is repeated once with a new token. Without OAuth settings
 * (a local API without authorization) calls carry no token. TLS trusts the JKS store named by
 * {@code HRI_TRUSTSTORE}, or the JVM's default. Any 2xx answer is success; any other is a
 * {@link ManagementApiException}. Nothing is retried here, and no body is ever logged. Thread-safe.
 */
public final class ManagementApiHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementApiHttp.class);

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

  private ManagementApiHttp(ManagementApiConfig config, HttpTransport transport, Clock clock) {
    this.config = config;
    this.tokens = config.hasOAuth() ? SharedToken.of(config) : null;
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
   * Calls as {@code config}'s client, trusting the JKS trust store named by {@code HRI_TRUSTSTORE} (password in
   * {@code HRI_TRUSTSTORE_PASSWORD}), or the JVM's default trust when the variable is unset.
   *
   * @throws IllegalArgumentException when the trust store is set without a password
   * @throws java.io.FileNotFoundException when the trust store file does not exist
   * @throws IOException when the trust store cannot be read, e.g. for a wrong password
   */
  public static ManagementApiHttp create(ManagementApiConfig config) throws IOException {
    return create(config, System.getenv(), Clock.systemUTC());
  }

  /** As {@link #create(ManagementApiConfig)}, reading the trust store variables from {@code env}. */
  static ManagementApiHttp create(ManagementApiConfig config, Map<String, String> env, Clock clock)
      throws IOException {
    return new ManagementApiHttp(config, transport(env), clock);
  }

  public ManagementApiConfig config() {
    return config;
  }

  /** {@code <baseUrl>/tenants/<tenant>/batches}, the tenant percent-encoded. */
  public String batchesUrl() {
    return config.baseUrl() + "/tenants/" + pathSegment(config.tenantId()) + "/batches";
  }

  /** Percent-encodes one path segment; batch ids may hold any character, including '/'. */
  public static String pathSegment(String value) {
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    // "." and ".." would be resolved as relative path steps.
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }

  @Override
  public void close() throws IOException {
    transport.shutdown();
  }

  // ---- HTTP ----

  /**
   * Calls {@code url} with {@code json} as the body (none when null) and returns the answer's body. A 401 or
   * 403 may mean the token was revoked or its grants changed: the call is repeated once with a new token before
   * the answer counts.
   */
  public byte[] call(String method, String url, JsonNode json) throws IOException {
    HttpContent content = json == null ? null : content(json);
    String bearer = bearerToken();
    HttpResponse response = send(method, url, content, bearer);
    if (tokens != null && isAuthFailure(response.getStatusCode())) {
      readBody(response);
      tokens.forget(bearer);
      bearer = bearerToken();
      response = send(method, url, content, bearer);
    }
    byte[] body = readBody(response);
    if (!response.isSuccessStatusCode()) {
      int status = response.getStatusCode();
      if (tokens != null && isAuthFailure(status)) {
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
    if (bearer != null) {
      request.getHeaders().setAuthorization("Bearer " + bearer);
    }
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

  private static HttpContent content(JsonNode body) throws IOException {
    return new ByteArrayContent("application/json", Json.mapper().writeValueAsBytes(body));
  }

  // ---- OAuth ----

  /** A cached token, or a new one when the cached one is (nearly) expired; null without OAuth settings. */
  String bearerToken() throws IOException {
    return tokens == null ? null : tokens.get(clock, this::requestToken);
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
            + "&scope=" + formValue(config.scopes() + " tenant_" + config.tenantId())
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

package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManagementApiClientTest {
  private static final String TENANT = "tenant1";
  private static final String BATCH_ID = "batch-7";
  private static final String PROCESSING_COMPLETE = "/action/processingComplete";
  private static final String FAIL = "/action/fail";

  private FakeManagementApi api;
  private final MutableClock clock = new MutableClock();
  private ManagementApiClient client;

  @BeforeEach
  void start() throws IOException {
    api = FakeManagementApi.start();
    client = ManagementApiClient.create(config(), Map.of(), clock);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    api.close();
  }

  private ManagementApiConfig config() {
    return config(api);
  }

  /** A client of {@code api} for tenant1, with the fake's client id and secret. */
  static ManagementApiConfig config(FakeManagementApi api) {
    return ManagementApiConfig.builder()
        .baseUrl(api.baseUrl())
        .oauthUrl(api.oauthUrl())
        .clientId("clientId")
        .clientSecret("clientSecret")
        .audience("hri-audience")
        .tenantId(TENANT)
        .build();
  }

  static BatchNotification batch(String id, BatchStatus status) {
    ObjectNode metadata = Json.mapper().createObjectNode().put("source", "unit test").put("number", 42);
    return new BatchNotification(
        id, "testBatch中文", "integrator-1", "ingest.tenant1.claims.in", "claims", status,
        OffsetDateTime.of(2024, 3, 1, 12, 30, 0, 0, ZoneOffset.UTC), null, 20L, 20L, null, 5L, null, metadata,
        null);
  }

  private void store(BatchNotification batch) {
    api.putBatch(batch.id(), new String(batch.toJson(), StandardCharsets.UTF_8));
  }

  private String batchUrl(String encodedId) {
    return api.baseUrl() + "/tenants/" + TENANT + "/batches/" + encodedId;
  }

  // ---- GET batch ----

  @Test
  void getBatchCallsExactlyTheBatchUrlWithOnlyTheBearerHeader() throws IOException {
    BatchNotification stored = batch(BATCH_ID, BatchStatus.SEND_COMPLETED);
    store(stored);

    BatchNotification result = client.getBatch(BATCH_ID);

    assertThat(result, equalTo(stored)); // UTF-8 name included
    List<Request> requests = api.requests();
    assertThat(requests, hasSize(2));
    Request get = requests.get(1);
    assertThat(get.method(), is("GET"));
    assertThat(get.url(), is(batchUrl(BATCH_ID)));
    assertThat(get.clientHeaderNames(), is(Set.of("authorization")));
    assertThat(get.header("Authorization"), is("Bearer token-1"));
  }

  @Test
  void tokenRequestIsAFormPostWithBasicAuthAndExactlyTwoHeaders() throws IOException {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    client.getBatch(BATCH_ID);

    Request token = api.requests().get(0);
    assertThat(token.method(), is("POST"));
    assertThat(token.url(), is(api.oauthUrl() + "/token"));
    assertThat(token.clientHeaderNames(), is(Set.of("authorization", "content-type")));
    String basic = Base64.getEncoder().encodeToString("clientId:clientSecret".getBytes(StandardCharsets.UTF_8));
    assertThat(token.header("Authorization"), is("Basic " + basic));
    assertThat(token.header("Content-Type"), is("application/x-www-form-urlencoded"));
    assertThat(
        token.form(),
        equalTo(
            Map.of(
                "grant_type", "client_credentials",
                "scope", "hri_internal hri_consumer tenant_" + TENANT,
                "audience", "hri-audience")));
  }

  @Test
  void getBatchFailsOnANon2xxAnswer() {
    // Not stored: the fake answers 404 with an ErrorDetail.
    ManagementApiException e = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(e.statusCode(), is(404));
    assertThat(e.isNotFound(), is(true));
    assertThat(
        e.getMessage(),
        is("The document for tenantId: tenant1 with document (batch) ID: " + BATCH_ID + " was not found"));

    api.respondWith("GET", "/batches/" + BATCH_ID, 500, 1);
    ManagementApiException serverError =
        assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(serverError.statusCode(), is(500));
    assertThat(serverError.isRetryable(), is(true));
    assertThat(serverError.getMessage(), is("Internal server error"));
  }

  @Test
  void aTokenFailureFailsTheCallWithoutCallingTheApi() {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    api.respondWith("POST", "/token", 401, 1);

    ManagementApiException e = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));

    assertThat(e.statusCode(), is(401));
    assertThat(e.getMessage(), startsWith("OAuth token request failed: "));
    assertThat(api.requests("GET", ""), is(empty()));
  }

  @Test
  void anUnreadableBatchIsAnIoExceptionWithoutThePayload() {
    api.respondWith("GET", "/batches/" + BATCH_ID, 200, 1); // 200 with an empty body
    IOException e = assertThrows(IOException.class, () -> client.getBatch(BATCH_ID));
    assertThat(e instanceof ManagementApiException, is(false));
    assertThat(e.getMessage(), containsString(BATCH_ID));
  }

  @Test
  void batchIdsAreEncodedAsOnePathSegment() throws IOException {
    String odd = "a/b c+d?e#f%中";
    store(batch(odd, BatchStatus.STARTED));

    assertThat(client.getBatch(odd).id(), is(odd));
    assertThat(api.requests("GET", "").get(0).url(), is(batchUrl("a%2Fb%20c%2Bd%3Fe%23f%25%E4%B8%AD")));
    assertThat(ManagementApiHttp.pathSegment(".."), is("%2E%2E"));
    assertThat(ManagementApiHttp.pathSegment("x.y"), is("x.y"));
  }

  // ---- processingComplete ----

  @Test
  void processingCompletePutsTheCounts() throws IOException {
    store(batch(BATCH_ID, BatchStatus.SEND_COMPLETED));

    client.processingComplete(BATCH_ID, 15, 5);

    List<Request> puts = api.requests("PUT", PROCESSING_COMPLETE);
    assertThat(puts, hasSize(1));
    Request put = puts.get(0);
    assertThat(put.url(), is(batchUrl(BATCH_ID) + PROCESSING_COMPLETE));
    assertThat(put.body(), is("{\"actualRecordCount\":15,\"invalidRecordCount\":5}"));
    assertThat(put.clientHeaderNames(), is(Set.of("authorization", "content-type")));
    assertThat(put.header("Authorization"), is("Bearer token-1"));
    assertThat(put.header("Content-Type"), is("application/json"));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("completed"));
  }

  @Test
  void anyTwoHundredAnswerIsSuccess() throws IOException {
    api.respondWith("PUT", PROCESSING_COMPLETE, 204, 1);
    api.respondWith("PUT", FAIL, 202, 1);
    client.processingComplete(BATCH_ID, 1, 0);
    client.fail(BATCH_ID, 1, 1, "Error message");
    assertThat(api.requests("PUT", ""), hasSize(2));
  }

  @Test
  void processingCompleteFailsOnA400() {
    api.respondWith("PUT", PROCESSING_COMPLETE, 400, 1, "Invalid request");
    ManagementApiException e =
        assertThrows(ManagementApiException.class, () -> client.processingComplete(BATCH_ID, 15, 5));
    assertThat(e.statusCode(), is(400));
    assertThat(e.isClientError(), is(true));
    assertThat(e.getMessage(), is("Invalid request"));
  }

  @Test
  void unauthorizedAnswersKeepTheirDescription() {
    store(batch(BATCH_ID, BatchStatus.SEND_COMPLETED));
    api.respondWith("GET", "/batches/" + BATCH_ID, 401, 2, "Unauthorized tenant access");
    ManagementApiException get = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(get.getMessage(), is("Unauthorized tenant access"));

    // The JDK drops the body of a 401 to a PUT; the reason phrase stands in for it.
    api.respondWith("PUT", PROCESSING_COMPLETE, 401, 2, "Unauthorized tenant access");
    ManagementApiException put =
        assertThrows(ManagementApiException.class, () -> client.processingComplete(BATCH_ID, 1, 0));
    assertThat(put.statusCode(), is(401));
    assertThat(put.getMessage(), is("Unauthorized"));

    api.respondWith("POST", "/token", 401, 1);
    ManagementApiException token = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(token.getMessage(), is("OAuth token request failed: Unauthorized"));
  }

  @Test
  void processingCompleteOnACompletedBatchIsAConflict() throws IOException {
    store(batch(BATCH_ID, BatchStatus.COMPLETED));
    ManagementApiException e =
        assertThrows(ManagementApiException.class, () -> client.processingComplete(BATCH_ID, 15, 5));
    assertThat(e.statusCode(), is(409));
    assertThat(e.getMessage(), is("processingComplete failed, batch is in 'completed' state"));
  }

  @Test
  void processingCompleteFailsOnATokenFailure() {
    api.respondWith("POST", "/token", 500, 1);
    ManagementApiException e =
        assertThrows(ManagementApiException.class, () -> client.processingComplete(BATCH_ID, 15, 5));
    assertThat(e.statusCode(), is(500));
    assertThat(api.requests("PUT", ""), is(empty()));
  }

  // ---- fail ----

  @Test
  void failPutsTheCountsAndTheMessage() throws IOException {
    store(batch(BATCH_ID, BatchStatus.SEND_COMPLETED));

    client.fail(BATCH_ID, 10, 10, "Error message");

    List<Request> puts = api.requests("PUT", FAIL);
    assertThat(puts, hasSize(1));
    Request put = puts.get(0);
    assertThat(put.url(), is(batchUrl(BATCH_ID) + FAIL));
    assertThat(
        put.body(), is("{\"actualRecordCount\":10,\"invalidRecordCount\":10,\"failureMessage\":\"Error message\"}"));
    assertThat(put.clientHeaderNames(), is(Set.of("authorization", "content-type")));
    assertThat(put.header("Authorization"), is("Bearer token-1"));
    assertThat(put.header("Content-Type"), is("application/json"));
    assertThat(api.batchStatus(BATCH_ID).orElseThrow(), is("failed"));
  }

  @Test
  void failFailsOnA400() {
    api.respondWith("PUT", FAIL, 400, 1);
    ManagementApiException e =
        assertThrows(ManagementApiException.class, () -> client.fail(BATCH_ID, 10, 10, "Error message"));
    assertThat(e.statusCode(), is(400));
    assertThat(e.getMessage(), is("Bad request"));
  }

  @Test
  void failFailsOnATokenFailure() {
    api.respondWith("POST", "/token", 400, 1);
    ManagementApiException e =
        assertThrows(ManagementApiException.class, () -> client.fail(BATCH_ID, 10, 10, "Error message"));
    assertThat(e.statusCode(), is(400));
    assertThat(api.requests("PUT", ""), is(empty()));
  }

  // ---- token cache ----

  @Test
  void oneTokenServesManyCalls() throws IOException {
    store(batch(BATCH_ID, BatchStatus.SEND_COMPLETED));
    client.getBatch(BATCH_ID);
    client.getBatch(BATCH_ID);
    client.processingComplete(BATCH_ID, 1, 0);

    assertThat(api.requests("POST", "/token"), hasSize(1));
    for (Request request : api.requests()) {
      if (!request.method().equals("POST")) {
        assertThat(request.header("Authorization"), is("Bearer token-1"));
      }
    }
  }

  /** A token is reused for its lifetime minus min(60 s, 10% of it): 3600 s → 3540 s, 100 s → 90 s. */
  @ParameterizedTest
  @CsvSource({"3600, 3540", "100, 90"})
  void aTokenIsRefreshedBeforeItExpires(long expiresIn, long reusedFor) throws IOException {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    api.tokenExpiresIn(expiresIn);
    client.getBatch(BATCH_ID);
    clock.advance(Duration.ofSeconds(reusedFor - 1));
    client.getBatch(BATCH_ID);
    assertThat(api.tokensIssued(), is(1));

    clock.advance(Duration.ofSeconds(1));
    client.getBatch(BATCH_ID);

    assertThat(api.tokensIssued(), is(2));
    List<Request> gets = api.requests("GET", "");
    assertThat(gets.get(2).header("Authorization"), is("Bearer token-2"));
  }

  @Test
  void aTokenWithoutExpiryIsReusedForFiveMinutes() throws IOException {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    api.tokenExpiresIn(null);
    client.getBatch(BATCH_ID);
    clock.advance(Duration.ofSeconds(299));
    client.getBatch(BATCH_ID);
    assertThat(api.tokensIssued(), is(1));
    clock.advance(Duration.ofSeconds(1));
    client.getBatch(BATCH_ID);
    assertThat(api.tokensIssued(), is(2));
  }

  @Test
  void aRejectedTokenIsReplacedAndTheCallRepeatedOnce() throws IOException {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    api.respondWith("GET", "/batches/" + BATCH_ID, 401, 1);
    client.getBatch(BATCH_ID);
    assertThat(api.tokensIssued(), is(2));
    List<Request> gets = api.requests("GET", "/batches/" + BATCH_ID);
    assertThat(gets, hasSize(2));
    assertThat(gets.get(1).header("Authorization"), is("Bearer token-2"));

    api.respondWith("GET", "/batches/" + BATCH_ID, 403, 2);
    ManagementApiException twice = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(twice.statusCode(), is(403));
    assertThat(twice.isRetryable(), is(true));
    client.getBatch(BATCH_ID);
    assertThat(api.tokensIssued(), is(4)); // the repeat's token was rejected too, so the next call has a new one
  }

  @Test
  void clientsOfTheSameOAuthClientShareOneTokenPerJvm() throws IOException {
    store(batch(BATCH_ID, BatchStatus.STARTED));
    try (ManagementApiClient second = ManagementApiClient.create(config(), Map.of(), clock)) {
      client.getBatch(BATCH_ID);
      second.getBatch(BATCH_ID);
      second.getBatch(BATCH_ID);
    }
    assertThat(api.tokensIssued(), is(1));
  }

  @Test
  void retryAfterIsReadInSecondsOrAsADate() {
    api.respondWithRetryAfter("GET", "/batches/" + BATCH_ID, 429, 1, "120");
    ManagementApiException seconds = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(seconds.retryAfter(), is(Optional.of(Duration.ofSeconds(120))));

    api.respondWithRetryAfter("GET", "/batches/" + BATCH_ID, 503, 1, "soon");
    ManagementApiException unreadable = assertThrows(ManagementApiException.class, () -> client.getBatch(BATCH_ID));
    assertThat(unreadable.retryAfter(), is(Optional.empty()));
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    assertThat(RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", now), is(Duration.ofSeconds(90)));
    assertThat(RetryAfter.parse("Wed, 02 Dec 2026 09:00:00 GMT", now), is(Duration.ZERO));
  }

  @Test
  void usableLifetimeKeepsASafetyMargin() {
    assertThat(ManagementApiHttp.usableLifetime(3600L), is(Duration.ofSeconds(3540)));
    assertThat(ManagementApiHttp.usableLifetime(600L), is(Duration.ofSeconds(540)));
    assertThat(ManagementApiHttp.usableLifetime(10L), is(Duration.ofSeconds(9)));
    assertThat(ManagementApiHttp.usableLifetime(0L), is(Duration.ZERO));
    assertThat(ManagementApiHttp.usableLifetime(null), is(Duration.ofMinutes(5)));
  }

  // ---- trust store ----

  @Test
  void trustStoreWithPasswordCreatesAClient(@TempDir Path dir) throws Exception {
    Path trustStore = writeTrustStore(dir, "changeit-too");
    try (ManagementApiClient withTrustStore =
        ManagementApiClient.create(
            config(),
            Map.of("HRI_TRUSTSTORE", trustStore.toString(), "HRI_TRUSTSTORE_PASSWORD", "changeit-too"))) {
      // Plain HTTP still works; the trust store only matters for TLS.
      store(batch(BATCH_ID, BatchStatus.STARTED));
      assertThat(withTrustStore.getBatch(BATCH_ID).id(), is(BATCH_ID));
    }
  }

  @Test
  void trustStoreWithoutPasswordIsRejected(@TempDir Path dir) throws Exception {
    Path trustStore = writeTrustStore(dir, "changeit-too");
    assertThrows(
        IllegalArgumentException.class,
        () -> ManagementApiClient.create(config(), Map.of("HRI_TRUSTSTORE", trustStore.toString())));
  }

  @Test
  void missingTrustStoreFileIsFileNotFound(@TempDir Path dir) {
    String missing = dir.resolve("missing.jks").toString();
    assertThrows(
        FileNotFoundException.class,
        () ->
            ManagementApiClient.create(
                config(), Map.of("HRI_TRUSTSTORE", missing, "HRI_TRUSTSTORE_PASSWORD", "whatever")));
  }

  @Test
  void wrongTrustStorePasswordIsAnIoException(@TempDir Path dir) throws Exception {
    Path trustStore = writeTrustStore(dir, "changeit-too");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ManagementApiClient.create(
                    config(),
                    Map.of("HRI_TRUSTSTORE", trustStore.toString(), "HRI_TRUSTSTORE_PASSWORD", "wrong-password")));
    assertThat(e instanceof FileNotFoundException, is(false));
  }

  /** A JKS trust store holding one CA certificate borrowed from the JDK's own trust store. */
  static Path writeTrustStore(Path dir, String password) throws Exception {
    KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    try (InputStream in = Files.newInputStream(cacerts)) {
      jdk.load(in, null); // no password: read without the integrity check
    }
    String alias = jdk.aliases().nextElement();
    KeyStore trustStore = KeyStore.getInstance("JKS");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("ca", jdk.getCertificate(alias));
    Path file = dir.resolve("truststore.jks");
    try (OutputStream out = Files.newOutputStream(file)) {
      trustStore.store(out, password.toCharArray());
    }
    return file;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2024-03-01T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

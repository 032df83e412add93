package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hri.pipeline.mgmt.ManagementApiClient;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.ManagementApiException;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Authorization on: the token endpoint, bearer tokens, tenant scopes, roles and the owner rule (spec §4.2). */
@ExtendWith(KafkaBrokerExtension.class)
class LocalManagementApiAuthTest extends ApiTestBase {
  static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
  static final MutableClock CLOCK = new MutableClock(T0);
  static final String TENANT = KafkaBroker.uniqueTopicName("auth");
  static final String OTHER_TENANT = KafkaBroker.uniqueTopicName("other");
  static final String AUDIENCE = "hri-local-test";
  static final String TENANT_SCOPE = "tenant_" + TENANT;

  @BeforeAll
  static void start(KafkaBroker broker) {
    start(broker, 8, TENANT, LocalManagementApi.Config.builder()
        .auth(true)
        .audience(AUDIENCE)
        .tokenLifetime(Duration.ofMinutes(30))
        .clock(CLOCK)
        .client(new OAuthClient("di-a", "secret-a", java.util.Set.of(TENANT_SCOPE, "hri_data_integrator"), "integrator-a"))
        .client(new OAuthClient("di-b", "secret-b", java.util.Set.of(TENANT_SCOPE, "hri_data_integrator"), "integrator-b"))
        .client(OAuthClient.of("consumer", "secret-c", TENANT_SCOPE, "hri_consumer"))
        .client(OAuthClient.of("internal", "secret-i", TENANT_SCOPE, "hri_internal", "hri_consumer"))
        .client(OAuthClient.of("internal-only", "secret-io", TENANT_SCOPE, "hri_internal"))
        .client(OAuthClient.of("no-role", "secret-n", TENANT_SCOPE))
        .client(OAuthClient.of("elsewhere", "secret-e",
            "tenant_" + OTHER_TENANT, "hri_data_integrator", "hri_consumer", "hri_internal")));
  }

  @BeforeEach
  void resetClock() {
    CLOCK.set(T0);
  }

  static String token(String client, String secret) {
    return http.accessToken(client, secret, TENANT_SCOPE + " hri_data_integrator hri_consumer hri_internal", AUDIENCE);
  }

  static String integratorA() {
    return token("di-a", "secret-a");
  }

  static String integratorB() {
    return token("di-b", "secret-b");
  }

  static String consumer() {
    return token("consumer", "secret-c");
  }

  static String internal() {
    return token("internal", "secret-i");
  }

  static String create(Stream s, String token) {
    Http.Res r = http.post(s.batches(), s.createBody("b-" + System.nanoTime()), token);
    assertThat(r.body(), r.status(), is(201));
    return r.json().get("id").asText();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Token endpoint

  @Test
  void issuesBearerTokensForClientCredentials() {
    Http.Res r = http.token("di-a", "secret-a",
        "grant_type=client_credentials&scope=" + TENANT_SCOPE + "+hri_data_integrator+hri_internal&audience=" + AUDIENCE);
    assertThat(r.status(), is(200));
    JsonNode json = r.json();
    assertThat(json.get("access_token").asText(), matchesPattern("[A-Za-z0-9_-]{43}"));
    assertThat(json.get("token_type").asText(), is("Bearer"));
    assertThat(json.get("expires_in").asLong(), is(1800L));
    // hri_internal is not one of di-a's scopes: it is left out
    assertThat(json.get("scope").asText(), is(TENANT_SCOPE + " hri_data_integrator"));
    assertThat(r.headers().firstValue("Cache-Control").orElse(""), is("no-store"));

    JsonNode all = http.token("internal", "secret-i", "grant_type=client_credentials").json();
    assertThat(all.get("scope").asText(), is(TENANT_SCOPE + " hri_internal hri_consumer"));
    JsonNode form = http.token(null, null,
        "grant_type=client_credentials&client_id=consumer&client_secret=secret-c&scope=hri_consumer").json();
    assertThat(form.get("scope").asText(), is("hri_consumer"));
  }

  @Test
  void rejectsBadTokenRequests() {
    Http.Res wrongSecret = http.token("di-a", "nope", "grant_type=client_credentials");
    assertThat(wrongSecret.status(), is(401));
    assertThat(wrongSecret.json(), is(Http.json(
        "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}")));
    assertThat(http.token("ghost", "x", "grant_type=client_credentials").status(), is(401));
    Http.Res none = http.token(null, null, "grant_type=client_credentials");
    assertThat(none.status(), is(401));
    assertThat(none.json().get("error").asText(), is("invalid_client"));
    Http.Res grant = http.token("di-a", "secret-a", "grant_type=password");
    assertThat(grant.status(), is(400));
    assertThat(grant.json().get("error").asText(), is("unsupported_grant_type"));
    Http.Res noGrant = http.token("di-a", "secret-a", "scope=x");
    assertThat(noGrant.status(), is(400));
    assertThat(noGrant.json().get("error").asText(), is("invalid_request"));
    assertThat(http.send("GET", "/oauth/token", null, null).status(), is(405));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Bearer tokens and tenant scope

  @Test
  void batchEndpointsNeedAValidToken(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, integratorA());
    String missing = "Authorization token validation failed: no bearer token in the Authorization header";
    http.get(s.batches()).assertError(401, missing);
    http.get(s.batch(id)).assertError(401, missing);
    http.post(s.batches(), s.createBody("x")).assertError(401, missing);
    for (String action : List.of("sendComplete", "terminate", "processingComplete", "fail")) {
      http.put(s.action(id, action), LocalManagementApiTest.bodyFor(action)).assertError(401, missing);
    }
    http.send("GET", s.batch(id), null, "Basic ZGktYTpzZWNyZXQtYQ==").assertError(401, missing);
    http.get(s.batch(id), "made-up").assertError(401, "Authorization token validation failed: unknown token");

    String wrongAudience = http.accessToken("consumer", "secret-c", TENANT_SCOPE + " hri_consumer", "someone-else");
    http.get(s.batch(id), wrongAudience).assertError(401,
        "Authorization token validation failed: expected audience \"" + AUDIENCE + "\" got [\"someone-else\"]");
    String noAudience = http.accessToken("consumer", "secret-c", TENANT_SCOPE + " hri_consumer", null);
    http.get(s.batch(id), noAudience).assertError(401,
        "Authorization token validation failed: expected audience \"" + AUDIENCE + "\" got []");

    assertThat(http.get(s.batch(id), consumer()).json().get("status").asText(), is("started"));
  }

  @Test
  void tokensExpire(KafkaBroker broker) {
    Stream s = pool.take();
    String token = consumer();
    String id = create(s, integratorA());
    CLOCK.advance(Duration.ofMinutes(30).minusSeconds(1));
    assertThat(http.get(s.batch(id), token).status(), is(200));
    CLOCK.advance(Duration.ofSeconds(1));
    http.get(s.batch(id), token).assertError(401,
        "Authorization token validation failed: token is expired (Token Expiry: 2024-05-01T08:30:00Z)");
  }

  @Test
  void theTenantMustBeInTheTokensScopes(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, integratorA());
    String elsewhere = http.accessToken("elsewhere", "secret-e",
        "tenant_" + OTHER_TENANT + " hri_data_integrator hri_consumer hri_internal", AUDIENCE);
    String text = "Unauthorized tenant access. Tenant '" + TENANT + "' is not included in the authorized scopes: "
        + "tenant_" + OTHER_TENANT + " hri_data_integrator hri_consumer hri_internal.";
    http.post(s.batches(), s.createBody("x"), elsewhere).assertError(401, text);
    http.get(s.batches(), elsewhere).assertError(401, text);
    http.get(s.batch(id), elsewhere).assertError(401, text);
    for (String action : List.of("sendComplete", "terminate", "processingComplete", "fail")) {
      http.put(s.action(id, action), LocalManagementApiTest.bodyFor(action), elsewhere).assertError(401, text);
    }
    assertThat(s.notificationStatuses(reader), contains("started"));
  }

  /** A token for one tenant does not reach another tenant's notification topic through a batch's topic. */
  @Test
  void anIntegratorCannotCreateABatchOnAnotherTenantsTopic(KafkaBroker broker) {
    Stream s = pool.take();
    Stream other = Stream.unique(OTHER_TENANT).create(broker);
    String elsewhere = http.accessToken("elsewhere", "secret-e", "tenant_" + OTHER_TENANT + " hri_data_integrator",
        AUDIENCE);
    String body = "{\"name\":\"x\",\"topic\":\"" + other.in() + "\",\"dataType\":\"claims\"}";
    http.post(s.batches(), body, integratorA()).assertError(400, "Invalid parameter value(s): topic must be an "
        + "input topic of tenant " + TENANT + ": ingest." + TENANT + ".<integrator>[.qualifier].in");
    String mine = "{\"name\":\"x\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\"}";
    http.post(other.batches(), mine, elsewhere).assertError(400, "Invalid parameter value(s): topic must be an "
        + "input topic of tenant " + OTHER_TENANT + ": ingest." + OTHER_TENANT + ".<integrator>[.qualifier].in");
    assertThat("nothing written", s.notificationCount(broker) + other.notificationCount(broker), is(0L));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Roles

  @Test
  void eachEndpointNeedsItsRole(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, integratorA());
    String consumer = consumer();
    String noRole = http.accessToken("no-role", "secret-n", TENANT_SCOPE, AUDIENCE);
    String internalOnly = http.accessToken("internal-only", "secret-io", TENANT_SCOPE + " hri_internal", AUDIENCE);

    http.post(s.batches(), s.createBody("x"), consumer)
        .assertError(401, "Must have hri_data_integrator role to create a batch");
    String scopes = "The access token must have one of these scopes: hri_consumer, hri_data_integrator";
    http.get(s.batches(), noRole).assertError(401, scopes);
    http.get(s.batches(), internalOnly).assertError(401, scopes);
    http.get(s.batch(id), noRole).assertError(401, scopes);
    http.get(s.batch(id), internalOnly).assertError(401, scopes);
    http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":1}", consumer)
        .assertError(401, "Must have hri_data_integrator role to initiate sendComplete on a batch");
    http.put(s.action(id, "terminate"), null, internal())
        .assertError(401, "Must have hri_data_integrator role to terminate a batch");
    http.put(s.action(id, "processingComplete"), LocalManagementApiTest.PROCESSING_COMPLETE_BODY, integratorA())
        .assertError(401, "Must have hri_internal role to mark a batch as processingComplete");
    http.put(s.action(id, "fail"), LocalManagementApiTest.FAIL_BODY, consumer)
        .assertError(401, "Must have hri_internal role to mark a batch as failed");
    assertThat(s.notificationStatuses(reader), contains("started"));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Owner rule and the whole flow

  @Test
  void integratorsMayOnlyTouchTheirOwnBatches(KafkaBroker broker) {
    Stream s = pool.take();
    String a = integratorA();
    String b = integratorB();
    Http.Res created = http.post(s.batches(), s.createBody("owned-by-a"), a);
    String id = created.json().get("id").asText();
    assertThat(http.get(s.batch(id), a).json().get("integratorId").asText(), is("integrator-a"));

    http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":1}", b)
        .assertError(401, "sendComplete requested by 'integrator-b' but owned by 'integrator-a'");
    http.put(s.action(id, "terminate"), null, b)
        .assertError(401, "terminate requested by 'integrator-b' but owned by 'integrator-a'");
    http.get(s.batch(id), b).assertError(401,
        "The token's sub claim (clientId): integrator-b does not match the data integratorId: integrator-a");
    assertThat(http.get(s.batches() + "?name=owned-by-a", b).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat(http.get(s.batches() + "?name=owned-by-a", a).json().get("total").asInt(), is(1));
    assertThat(http.get(s.batches() + "?name=owned-by-a", consumer()).json().get("total").asInt(), is(1));
    assertThat(http.get(s.batch(id), consumer()).status(), is(200));

    // the owner check comes before the state check: a foreign integrator gets 401 even on a final batch
    LocalManagementApiTest.ok(http.put(s.action(id, "terminate"), null, a));
    http.put(s.action(id, "terminate"), null, b)
        .assertError(401, "terminate requested by 'integrator-b' but owned by 'integrator-a'");
    http.put(s.action(id, "terminate"), null, a).assertError(409, "terminate failed, batch is in 'terminated' state");
    assertThat(s.notificationStatuses(reader), contains("started", "terminated"));
  }

  @Test
  void theWholeFlowWithTokens(KafkaBroker broker) {
    Stream s = pool.take();
    String a = integratorA();
    String done = create(s, a);
    LocalManagementApiTest.ok(http.put(s.action(done, "sendComplete"), "{\"expectedRecordCount\":4}", a));
    LocalManagementApiTest.ok(http.put(s.action(done, "processingComplete"),
        "{\"actualRecordCount\":4,\"invalidRecordCount\":0}", internal()));
    String failed = create(s, a);
    LocalManagementApiTest.ok(http.put(s.action(failed, "fail"),
        "{\"actualRecordCount\":1,\"invalidRecordCount\":1,\"failureMessage\":\"bad\"}", internal()));
    JsonNode completed = http.get(s.batch(done), internal()).json();
    assertThat(completed.get("status").asText(), is("completed"));
    assertThat(completed.get("integratorId").asText(), is("integrator-a"));
    assertThat(http.get(s.batch(failed), a).json().get("status").asText(), is("failed"));
    assertThat(s.notificationStatuses(reader), contains("started", "sendCompleted", "completed", "started", "failed"));
  }

  @Test
  void thePipelinesOwnClientWorksAgainstIt() throws Exception {
    Stream s = pool.take();
    String a = integratorA();
    String id = create(s, a);
    LocalManagementApiTest.ok(http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":2}", a));
    ManagementApiConfig config = ManagementApiConfig.builder()
        .baseUrl(api.baseUrl()).oauthUrl(api.oauthUrl())
        .clientId("internal").clientSecret("secret-i").audience(AUDIENCE).tenantId(TENANT)
        .build();
    try (ManagementApiClient client = ManagementApiClient.create(config)) {
      BatchNotification batch = client.getBatch(id);
      assertThat(batch.status(), is(BatchStatus.SEND_COMPLETED));
      assertThat(batch.expectedCount(), is(2L));
      client.processingComplete(id, 2, 0);
      ManagementApiException again = assertThrows(ManagementApiException.class, () -> client.processingComplete(id, 2, 0));
      assertThat(again.statusCode(), is(409));
      assertThat(assertThrows(ManagementApiException.class, () -> client.getBatch("nope")).statusCode(), is(404));
    }
    assertThat(s.notificationStatuses(reader), contains("started", "sendCompleted", "completed"));
  }
}

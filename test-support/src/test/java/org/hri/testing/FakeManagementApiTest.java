package org.hri.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeManagementApiTest {
  private static final String COUNTS = "{\"actualRecordCount\":3,\"invalidRecordCount\":1}";
  private static final String FAIL_BODY =
      "{\"actualRecordCount\":3,\"invalidRecordCount\":1,\"failureMessage\":\"too many invalid\"}";

  private final HttpClient http = HttpClient.newHttpClient();
  private FakeManagementApi api;
  private String token;

  @BeforeEach
  void start() throws Exception {
    api = FakeManagementApi.start();
    HttpResponse<String> answer = send("POST", api.oauthUrl() + "/token", "grant_type=client_credentials", null);
    assertThat(answer.statusCode(), is(200));
    assertThat(answer.body(), is("{\"access_token\":\"token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    token = "token-1";
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> send(String method, String url, String body, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String batchUrl(String id) {
    return api.baseUrl() + "/tenants/t1/batches/" + id;
  }

  private static String batch(String id, String status) {
    return "{\"id\":\"" + id + "\",\"name\":\"n中\",\"status\":\"" + status + "\",\"invalidThreshold\":-1,"
        + "\"metadata\":{\"a\":[1,2.5,true,null,\"x\\\"y\"]}}";
  }

  @Test
  void servesStoredBatchesAndRecordsRequests() throws Exception {
    api.putBatch("b1", batch("b1", "started"));

    HttpResponse<String> get = send("GET", batchUrl("b1"), null, token);

    assertThat(get.statusCode(), is(200));
    assertThat(get.body(), is(batch("b1", "started")));
    FakeManagementApi.Request recorded = api.requests("GET", "/batches/b1").get(0);
    assertThat(recorded.url(), is(batchUrl("b1")));
    assertThat(recorded.header("AUTHORIZATION"), is("Bearer token-1"));
    assertThat(api.requests(), hasSize(2));
    assertThat(api.requests().get(0).form(), is(Map.of("grant_type", "client_credentials")));
  }

  @Test
  void unknownBatchesAndMissingTokensAreErrorDetails() throws Exception {
    HttpResponse<String> missing = send("GET", batchUrl("nope"), null, token);
    assertThat(missing.statusCode(), is(404));
    assertThat(missing.body(), startsWith("{\"errorEventId\":\""));
    assertThat(
        missing.body(),
        containsString(
            "\"errorDescription\":\"The document for tenantId: t1 with document (batch) ID: nope was not found\""));

    api.putBatch("b1", batch("b1", "started"));
    assertThat(send("GET", batchUrl("b1"), null, null).statusCode(), is(401));
    assertThat(send("GET", batchUrl("b1"), null, "forged").statusCode(), is(401));
  }

  @Test
  void processingCompleteFollowsTheStateMachine() throws Exception {
    api.putBatch("b1", batch("b1", "started"));
    String url = batchUrl("b1") + "/action/processingComplete";

    HttpResponse<String> fromStarted = send("PUT", url, COUNTS, token);
    assertThat(fromStarted.statusCode(), is(409));
    assertThat(fromStarted.body(), containsString("processingComplete failed, batch is in 'started' state"));

    api.putBatch("b1", batch("b1", "sendCompleted"));
    HttpResponse<String> ok = send("PUT", url, COUNTS, token);
    assertThat(ok.statusCode(), is(200));
    assertThat(ok.body(), is(""));
    assertThat(api.batchStatus("b1").orElseThrow(), is("completed"));
    assertThat(
        api.batchJson("b1").orElseThrow(),
        containsString("\"actualRecordCount\":3,\"invalidRecordCount\":1,\"endDate\":\""));

    assertThat(send("PUT", url, COUNTS, token).statusCode(), is(409)); // already completed
    assertThat(send("PUT", url, "{\"actualRecordCount\":3}", token).statusCode(), is(400));
    assertThat(send("PUT", batchUrl("other") + "/action/processingComplete", COUNTS, token).statusCode(), is(404));
  }

  @Test
  void failIsAllowedUntilTheBatchIsTerminatedOrFailed() throws Exception {
    String url = batchUrl("b1") + "/action/fail";
    for (String status : List.of("started", "sendCompleted", "completed")) {
      api.putBatch("b1", batch("b1", status));
      assertThat(status, send("PUT", url, FAIL_BODY, token).statusCode(), is(200));
      assertThat(api.batchStatus("b1").orElseThrow(), is("failed"));
      assertThat(api.batchJson("b1").orElseThrow(), containsString("\"failureMessage\":\"too many invalid\""));
    }
    for (String status : List.of("terminated", "failed")) {
      api.putBatch("b1", batch("b1", status));
      HttpResponse<String> conflict = send("PUT", url, FAIL_BODY, token);
      assertThat(conflict.statusCode(), is(409));
      assertThat(conflict.body(), containsString("'fail' failed, batch is in '" + status + "' state"));
    }
    api.putBatch("b1", batch("b1", "started"));
    assertThat(send("PUT", url, COUNTS, token).statusCode(), is(400)); // no failureMessage
  }

  @Test
  void scriptedAnswersRunOutOrLastUntilCleared() throws Exception {
    api.putBatch("b1", batch("b1", "started"));
    api.respondWith("GET", "/batches/b1", 500, 2);

    assertThat(send("GET", batchUrl("b1"), null, token).statusCode(), is(500));
    HttpResponse<String> second = send("GET", batchUrl("b1"), null, token);
    assertThat(second.statusCode(), is(500));
    assertThat(second.body(), containsString("\"errorDescription\":\"Internal server error\""));
    assertThat(send("GET", batchUrl("b1"), null, token).statusCode(), is(200));

    api.alwaysRespondWith("GET", "/batches/b1", 503);
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", batchUrl("b1"), null, token).statusCode(), is(503));
    }
    api.clearScriptedResponses();
    assertThat(send("GET", batchUrl("b1"), null, token).statusCode(), is(200));

    api.respondWith("POST", "/token", 401, 1, "bad client");
    HttpResponse<String> token401 = send("POST", api.oauthUrl() + "/token", "", null);
    assertThat(token401.statusCode(), is(401));
    assertThat(token401.body(), containsString("\"errorDescription\":\"bad client\""));

    api.respondWith("PUT", "/action/fail", 204, 1);
    assertThat(send("PUT", batchUrl("b1") + "/action/fail", FAIL_BODY, token).statusCode(), is(204));
    assertThat(api.batchStatus("b1").orElseThrow(), is("started")); // scripted answers change nothing
  }

  @Test
  void tokensCanOmitExpiry() throws Exception {
    api.tokenExpiresIn(null);
    HttpResponse<String> answer = send("POST", api.oauthUrl() + "/token", "", null);
    assertThat(answer.body(), is("{\"access_token\":\"token-2\",\"token_type\":\"Bearer\"}"));
    assertThat(api.tokensIssued(), is(2));
  }

  @Test
  void encodedBatchIdsAreDecoded() throws Exception {
    api.putBatch("a/b c+d", batch("a/b c+d", "sendCompleted"));
    assertThat(send("GET", batchUrl("a%2Fb%20c+d"), null, token).statusCode(), is(200));
  }

  @Test
  void notifiesListenersAndAwaitsRequests() throws Exception {
    List<String> updates = Collections.synchronizedList(new ArrayList<>());
    api.onBatchUpdated(updates::add);
    api.putBatch("b1", batch("b1", "sendCompleted"));

    Thread caller =
        new Thread(
            () -> {
              try {
                send("PUT", batchUrl("b1") + "/action/processingComplete", COUNTS, token);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    caller.start();
    assertThat(api.awaitRequests("PUT", "/action/processingComplete", 1, Duration.ofSeconds(10)), hasSize(1));
    caller.join(10_000);
    // The listener runs after the response is sent, as the real API publishes after answering.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (updates.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(updates, hasSize(1));
    assertThat(updates.get(0), containsString("\"status\":\"completed\""));
    assertThrows(
        AssertionError.class, () -> api.awaitRequests("PUT", "/action/fail", 1, Duration.ofMillis(50)));
  }

  @Test
  void integratorCallsCreateSendCompleteAndTerminateBatches() throws Exception {
    String batchesUrl = api.baseUrl() + "/tenants/t1/batches";
    String create = "{\"name\":\"f.ndjson\",\"topic\":\"ingest.t1.di.in\",\"dataType\":\"fhir\","
        + "\"invalidThreshold\":5,\"metadata\":{\"file\":\"f.ndjson\"}}";
    HttpResponse<String> created = send("POST", batchesUrl, create, token);
    assertThat(created.statusCode(), is(201));
    assertThat(created.body(), is("{\"id\":\"batch-1\"}"));
    assertThat(api.batchStatus("batch-1").orElseThrow(), is("started"));
    assertThat(api.batchJson("batch-1").orElseThrow(), containsString("\"invalidThreshold\":5,"
        + "\"metadata\":{\"file\":\"f.ndjson\"}"));
    assertThat(send("POST", batchesUrl, "{\"name\":\"x\"}", token).statusCode(), is(400));

    // No verdict by default: the batch waits for the pipeline's processingComplete or fail.
    String sendComplete = batchUrl("batch-1") + "/action/sendComplete";
    assertThat(send("PUT", sendComplete, "{}", token).statusCode(), is(400));
    assertThat(send("PUT", sendComplete, "{\"expectedRecordCount\":4}", token).statusCode(), is(200));
    assertThat(api.batchStatus("batch-1").orElseThrow(), is("sendCompleted"));
    HttpResponse<String> again = send("PUT", sendComplete, "{\"expectedRecordCount\":4}", token);
    assertThat(again.statusCode(), is(409));
    assertThat(again.body(), containsString("sendComplete failed, batch is in 'sendCompleted' state"));
    assertThat(send("PUT", batchUrl("batch-1") + "/action/terminate", "", token).statusCode(), is(409));

    api.onSendComplete(batch -> batch.get("name").asText().startsWith("f")
        ? FakeManagementApi.Verdict.failed(4, 3, "too many invalid") : FakeManagementApi.Verdict.allValid(batch));
    send("POST", batchesUrl, create, token);
    send("PUT", batchUrl("batch-2") + "/action/sendComplete", "{\"expectedRecordCount\":4}", token);
    assertThat(api.batchStatus("batch-2").orElseThrow(), is("failed"));
    assertThat(api.batchJson("batch-2").orElseThrow(), containsString("\"expectedRecordCount\":4,"
        + "\"actualRecordCount\":4,\"invalidRecordCount\":3,\"failureMessage\":\"too many invalid\""));
    send("POST", batchesUrl, create.replace("f.ndjson", "g.ndjson"), token);
    send("PUT", batchUrl("batch-3") + "/action/sendComplete", "{\"expectedRecordCount\":4}", token);
    assertThat(api.batchJson("batch-3").orElseThrow(), containsString("\"status\":\"completed\""));
    assertThat(api.batchJson("batch-3").orElseThrow(), containsString("\"actualRecordCount\":4,"
        + "\"invalidRecordCount\":0"));

    send("POST", batchesUrl, create, token);
    assertThat(send("PUT", batchUrl("batch-4") + "/action/terminate", "", token).statusCode(), is(200));
    assertThat(api.batchStatus("batch-4").orElseThrow(), is("terminated"));
    assertThat(api.batchIds(), is(Set.of("batch-1", "batch-2", "batch-3", "batch-4")));
    assertThat(api.requests("POST", "/batches").get(0).json().get("dataType").asText(), is("fhir"));
  }

  @Test
  void withoutTokensBatchCallsAreAcceptedWhenAsked() throws Exception {
    api.putBatch("b1", batch("b1", "started"));
    assertThat(send("GET", batchUrl("b1"), null, null).statusCode(), is(401));
    api.acceptCallsWithoutToken();
    assertThat(send("GET", batchUrl("b1"), null, null).statusCode(), is(200));
    assertThrows(IllegalArgumentException.class, () -> api.putBatch("b2", "[1]"));
  }
}

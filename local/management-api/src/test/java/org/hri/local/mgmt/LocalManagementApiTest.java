package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch endpoints with authorization off and validation on, over real HTTP and a real Kafka broker. */
@ExtendWith(KafkaBrokerExtension.class)
class LocalManagementApiTest extends ApiTestBase {
  static final Instant T0 = Instant.parse("2024-03-01T10:00:00.400Z");
  static final MutableClock CLOCK = new MutableClock(T0);
  static final String NO_AUTH = "NoAuthUnkIntegrator";
  static final String ALLOWED_HOST = "HRI-Local.test";

  @BeforeAll
  static void start(KafkaBroker broker) {
    start(broker, 55, null, LocalManagementApi.Config.builder().clock(CLOCK).allowedHost(ALLOWED_HOST));
  }

  @BeforeEach
  void resetClock() {
    CLOCK.set(T0);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  static String create(Stream s, String body) {
    Http.Res r = http.post(s.batches(), body);
    assertThat(r.body(), r.status(), is(201));
    return r.json().get("id").asText();
  }

  static String create(Stream s) {
    return create(s, s.createBody("batch-" + System.nanoTime()));
  }

  static JsonNode batch(Stream s, String id) {
    Http.Res r = http.get(s.batch(id));
    assertThat(r.body(), r.status(), is(200));
    return r.json();
  }

  static void ok(Http.Res r) {
    r.assertEmpty(200);
  }

  /** A new batch driven to {@code status} through the API. */
  static String batchIn(Stream s, String status) {
    String id = create(s);
    switch (status) {
      case "started" -> { }
      case "sendCompleted" -> ok(http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":2}"));
      case "completed" -> {
        ok(http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":2}"));
        ok(http.put(s.action(id, "processingComplete"), "{\"actualRecordCount\":2,\"invalidRecordCount\":0}"));
      }
      case "terminated" -> ok(http.put(s.action(id, "terminate"), null));
      case "failed" -> ok(http.put(s.action(id, "fail"),
          "{\"actualRecordCount\":1,\"invalidRecordCount\":1,\"failureMessage\":\"too many invalid\"}"));
      default -> throw new IllegalArgumentException(status);
    }
    assertThat(batch(s, id).get("status").asText(), is(status));
    return id;
  }

  static final String SEND_COMPLETE_BODY = "{\"expectedRecordCount\":2}";
  static final String PROCESSING_COMPLETE_BODY = "{\"actualRecordCount\":2,\"invalidRecordCount\":0}";
  static final String FAIL_BODY = "{\"actualRecordCount\":2,\"invalidRecordCount\":0,\"failureMessage\":\"x\"}";

  static String bodyFor(String action) {
    return switch (action) {
      case "sendComplete" -> SEND_COMPLETE_BODY;
      case "processingComplete" -> PROCESSING_COMPLETE_BODY;
      case "fail" -> FAIL_BODY;
      default -> "{}";
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Probes

  @Test
  void aliveAnswersYes() {
    Http.Res r = http.get("/alive");
    assertThat(r.status(), is(200));
    assertThat(r.body(), is("yes"));
  }

  @Test
  void healthcheckIsOkWithAnEmptyBody() {
    http.get("/hri/healthcheck").assertEmpty(200);
    http.get("/hri/healthcheck/").assertEmpty(200);
  }

  @Test
  void baseAndOauthUrls() {
    assertThat(api.baseUrl(), is("http://127.0.0.1:" + api.port() + "/hri"));
    assertThat(api.oauthUrl(), is("http://127.0.0.1:" + api.port() + "/oauth"));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Create and get

  @Test
  void createStoresTheBatchAndWritesTheStartedNotification(KafkaBroker broker) {
    Stream s = pool.take();
    Http.Res created = http.post(s.batches(), "{\"name\":\"batch-1\",\"topic\":\"" + s.in()
        + "\",\"dataType\":\"claims\",\"invalidThreshold\":5,\"metadata\":{\"a\":1,\"b\":{\"c\":\"x\"}},"
        + "\"unknownField\":true}");
    assertThat(created.body(), created.status(), is(201));
    String id = created.json().get("id").asText();
    assertThat(created.body(), is("{\"id\":\"" + id + "\"}"));
    assertThat(id.matches("[A-Za-z0-9]{20}"), is(true));

    Http.Res got = http.get(s.batch(id));
    assertThat(got.status(), is(200));
    assertThat(got.body(), is("{\"id\":\"" + id + "\",\"name\":\"batch-1\",\"integratorId\":\"" + NO_AUTH
        + "\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\",\"status\":\"started\","
        + "\"startDate\":\"2024-03-01T10:00:00Z\",\"invalidThreshold\":5,\"metadata\":{\"a\":1,\"b\":{\"c\":\"x\"}}}"));
    assertThat(got.headers().firstValue("Content-Type").orElse(""), is("application/json; charset=UTF-8"));

    s.assertNotifications(reader, List.of(got.json()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ",\"invalidThreshold\":0", ",\"invalidThreshold\":null", ",\"invalidThreshold\":-1"})
  void aMissingOrZeroThresholdIsStoredAsMinusOne(String threshold, KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, "{\"name\":\"b\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\"" + threshold + "}");
    assertThat(batch(s, id).get("invalidThreshold").asLong(), is(-1L));
  }

  @Test
  void anInputTopicWithAQualifierIsAccepted(KafkaBroker broker) {
    Stream s = Stream.unique();
    String base = "ingest." + s.tenant() + "." + s.integrator() + ".q1";
    broker.createTopic(base + ".notification", 1);
    String id = create(s, "{\"name\":\"b\",\"topic\":\"" + base + ".in\",\"dataType\":\"claims\"}");
    assertThat(reader.readAll(base + ".notification"), hasSize(1));
    assertThat(batch(s, id).get("topic").asText(), is(base + ".in"));
  }

  /**
   * A batch's notifications go to its topic's notification topic: a topic that is not one of the URL tenant's
   * input topics is refused before anything is written (its topics exist, so a write would succeed).
   */
  @Test
  void createRefusesATopicThatIsNotAnInputTopicOfTheTenant(KafkaBroker broker) {
    Stream s = pool.take();
    Stream other = pool.take();
    String t = s.tenant();
    List<String> topics = List.of(
        other.in(),                                             // another tenant's stream
        other.notification(),                                   // another tenant's notification topic itself
        "ingest." + other.tenant() + "." + s.integrator() + ".in", // this integrator's name, other tenant
        "ingest." + t + "x." + s.integrator() + ".in",          // a tenant whose id starts with this one
        s.notification(),                                       // not an input topic
        "ingest." + t + "." + s.integrator(),                   // no .in (the real API appends .notification)
        "ingest." + t + ".in",                                  // no integrator element
        "other." + t + "." + s.integrator() + ".in");           // not ingest.
    for (String topic : topics) {
      http.post(s.batches(), "{\"name\":\"n\",\"topic\":\"" + topic + "\",\"dataType\":\"claims\"}")
          .assertError(400, "Invalid parameter value(s): topic must be an input topic of tenant " + t
              + ": ingest." + t + ".<integrator>[.qualifier].in");
    }
    assertThat(http.get(s.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat(http.get(other.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat("nothing written", s.notificationCount(broker) + other.notificationCount(broker), is(0L));
    // the same body with the tenant's own topic goes through
    create(s, "{\"name\":\"n\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\"}");
    assertThat(s.notificationCount(broker), is(1L));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{}|Missing required parameter(s): [name, topic, dataType]",
      "``|Missing required parameter(s): [name, topic, dataType]",
      "{\"name\":\"\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\"}|Missing required parameter(s): [name]",
      "{\"name\":\"n\",\"dataType\":\"d\"}|Missing required parameter(s): [topic]",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":null}|Missing required parameter(s): [dataType]",
      "{\"name\":5,\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\"}|Invalid parameter type(s): [name must be a string, got number instead.]",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\",\"invalidThreshold\":\"5\"}|Invalid parameter type(s): [invalidThreshold must be an integer, got string instead.]",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\",\"invalidThreshold\":1.5}|Invalid parameter type(s): [invalidThreshold must be an integer, got a fractional number instead.]",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\",\"invalidThreshold\":-2}|Invalid parameter value(s): invalidThreshold must be greater than or equal to -1",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\",\"metadata\":\"m\"}|Invalid parameter type(s): [metadata must be an object, got string instead.]",
      "{\"name\":\"n\",\"topic\":\"ingest.x.y.in\",\"dataType\":\"d\",\"metadata\":[1]}|Invalid parameter type(s): [metadata must be an object, got array instead.]",
      "not json|Request body is not valid JSON",
      "[{\"name\":\"n\"}]|Request body must be a JSON object",
      "\"text\"|Request body must be a JSON object",
  })
  void createRejectsBadBodies(String body, String description, KafkaBroker broker) {
    Stream s = Stream.unique();
    http.post(s.batches(), body).assertError(400, description);
    assertThat(http.get(s.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat(s.notificationTopicExists(broker), is(false));
  }

  @Test
  void createChecksEveryStringFieldForInjection(KafkaBroker broker) {
    Stream s = Stream.unique();
    for (char c : "\"=<>[]{}".toCharArray()) {
      for (String field : List.of("name", "topic", "dataType")) {
        ObjectNode body = Http.object().put("name", "n").put("topic", s.in()).put("dataType", "d");
        body.put(field, "a" + c + "b");
        http.post(s.batches(), body.toString()).assertError(400,
            "Invalid parameter value(s): " + field + " must not contain any of these characters: \"=<>[]{}");
      }
    }
    ObjectNode twoBad = Http.object().put("name", "<n>").put("topic", s.in()).put("dataType", "{d}");
    http.post(s.batches(), twoBad.toString()).assertError(400, "Invalid parameter value(s): "
        + "name must not contain any of these characters: \"=<>[]{}; "
        + "dataType must not contain any of these characters: \"=<>[]{}");
    assertThat(http.get(s.batches()).json().get("total").asInt(), is(0));
    assertThat(s.notificationTopicExists(broker), is(false));
  }

  @Test
  void aBadTenantIdIsRejected() {
    http.post("/hri/tenants/Bad.Tenant/batches", "{}")
        .assertError(400, "TenantId: Bad.Tenant must be lower-case alpha-numeric, '-', or '_'.");
    http.get("/hri/tenants/BAD/batches/x")
        .assertError(400, "TenantId: BAD must be lower-case alpha-numeric, '-', or '_'.");
  }

  @Test
  void createFailsWith500AndStoresNothingWhenTheNotificationTopicIsMissing(KafkaBroker broker) throws Exception {
    Stream s = Stream.unique();
    broker.createTopic(s.in(), 1); // the .in topic exists, the .notification one does not
    http.post(s.batches(), s.createBody("lost")).assertError(500,
        "kafka producer error: Broker: Unknown topic or partition (topic '" + s.notification() + "')");
    assertThat(http.get(s.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    // the broker auto-creates topics on produce: the API must not have written anything
    assertThat(broker.admin().listTopics().names().get(30, TimeUnit.SECONDS), not(hasItem(s.notification())));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Status changes

  @Test
  void sendCompleteThenProcessingCompleteWithValidation(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, "{\"name\":\"b\",\"topic\":\"" + s.in()
        + "\",\"dataType\":\"claims\",\"invalidThreshold\":3,\"metadata\":{\"old\":1}}");
    JsonNode started = batch(s, id);

    CLOCK.advance(Duration.ofMinutes(1));
    ok(http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":3,\"metadata\":{\"new\":2}}"));
    Http.Res afterSend = http.get(s.batch(id));
    assertThat(afterSend.body(), is("{\"id\":\"" + id + "\",\"name\":\"b\",\"integratorId\":\"" + NO_AUTH
        + "\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\",\"status\":\"sendCompleted\","
        + "\"startDate\":\"2024-03-01T10:00:00Z\",\"recordCount\":3,\"expectedRecordCount\":3,"
        + "\"invalidThreshold\":3,\"metadata\":{\"new\":2}}"));

    CLOCK.advance(Duration.ofMinutes(1));
    ok(http.put(s.action(id, "processingComplete"), "{\"actualRecordCount\":2,\"invalidRecordCount\":1}"));
    Http.Res afterComplete = http.get(s.batch(id));
    assertThat(afterComplete.body(), is("{\"id\":\"" + id + "\",\"name\":\"b\",\"integratorId\":\"" + NO_AUTH
        + "\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\",\"status\":\"completed\","
        + "\"startDate\":\"2024-03-01T10:00:00Z\",\"endDate\":\"2024-03-01T10:02:00Z\",\"recordCount\":3,"
        + "\"expectedRecordCount\":3,\"actualRecordCount\":2,\"invalidThreshold\":3,\"invalidRecordCount\":1,"
        + "\"metadata\":{\"new\":2}}"));

    s.assertNotifications(reader, List.of(started, afterSend.json(), afterComplete.json()));
  }

  @Test
  void sendCompleteAcceptsTheDeprecatedRecordCount(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s);
    ok(http.put(s.action(id, "sendComplete"), "{\"recordCount\":7}"));
    JsonNode b = batch(s, id);
    assertThat(b.get("recordCount").asLong(), is(7L));
    assertThat(b.get("expectedRecordCount").asLong(), is(7L));
    assertThat(b.get("metadata"), nullValue());
    JsonNode notification = Http.json(s.notifications(reader).get(1).value());
    assertThat(notification, is(b));
  }

  @Test
  void terminateEndsAStartedBatch(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, "{\"name\":\"b\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\",\"metadata\":{\"k\":1}}");
    JsonNode started = batch(s, id);
    CLOCK.advance(Duration.ofSeconds(30));
    ok(http.put(s.action(id, "terminate"), "{\"metadata\":{\"why\":\"stop\"}}"));
    JsonNode terminated = batch(s, id);
    ObjectNode expected = started.deepCopy();
    expected.put("status", "terminated").put("endDate", "2024-03-01T10:00:30Z");
    expected.set("metadata", Http.object().put("why", "stop"));
    assertThat(terminated, is(expected));
    s.assertNotifications(reader, List.of(started, terminated));
  }

  @Test
  void terminateWithoutBodyKeepsTheMetadata(KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s, "{\"name\":\"b\",\"topic\":\"" + s.in() + "\",\"dataType\":\"claims\",\"metadata\":{\"k\":1}}");
    ok(http.put(s.action(id, "terminate"), null));
    assertThat(batch(s, id).get("metadata"), is(Http.json("{\"k\":1}")));
    assertThat(s.notificationStatuses(reader), contains("started", "terminated"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"started", "sendCompleted", "completed"})
  void failIsAllowedFrom(String status, KafkaBroker broker) {
    Stream s = pool.take();
    String id = batchIn(s, status);
    JsonNode before = batch(s, id);
    CLOCK.advance(Duration.ofHours(1));
    ok(http.put(s.action(id, "fail"),
        "{\"actualRecordCount\":10,\"invalidRecordCount\":4,\"failureMessage\":\"Batch failed: too many\"}"));
    JsonNode failed = batch(s, id);
    ObjectNode expected = before.deepCopy();
    expected.put("status", "failed").put("endDate", "2024-03-01T11:00:00Z")
        .put("actualRecordCount", 10).put("invalidRecordCount", 4).put("failureMessage", "Batch failed: too many");
    assertThat(failed, is(expected));
    List<JsonNode> notifications = new ArrayList<>();
    s.notifications(reader).forEach(r -> notifications.add(Http.json(r.value())));
    assertThat(notifications.get(notifications.size() - 1), is(failed));
    assertThat(notifications.get(notifications.size() - 2), is(before));
  }

  /** Every 409 cell of the state machine table (spec §4.5). */
  @ParameterizedTest(name = "{1} on a {0} batch")
  @CsvSource({
      "started,processingComplete",
      "sendCompleted,sendComplete", "sendCompleted,terminate",
      "completed,sendComplete", "completed,terminate", "completed,processingComplete",
      "terminated,sendComplete", "terminated,terminate", "terminated,processingComplete", "terminated,fail",
      "failed,sendComplete", "failed,terminate", "failed,processingComplete", "failed,fail",
  })
  void conflicts(String status, String action, KafkaBroker broker) {
    Stream s = pool.take();
    String id = batchIn(s, status);
    JsonNode before = batch(s, id);
    long notificationsBefore = s.notificationCount(broker);
    String text = switch (action) {
      case "fail" -> "'fail' failed, batch is in '" + status + "' state";
      default -> action + " failed, batch is in '" + status + "' state";
    };
    http.put(s.action(id, action), bodyFor(action)).assertError(409, text);
    assertThat(batch(s, id), is(before));
    assertThat("no notification written", s.notificationCount(broker), is(notificationsBefore));
  }

  @Test
  void unknownBatchesAre404(KafkaBroker broker) {
    Stream s = pool.take();
    String t = s.tenant();
    http.get(s.batch("nope")).assertError(404,
        "The document for tenantId: " + t + " with document (batch) ID: nope was not found");
    for (String action : List.of("sendComplete", "terminate", "processingComplete", "fail")) {
      http.put(s.action("nope", action), bodyFor(action)).assertError(404,
          "error getting current Batch Status: The document for tenantId: " + t
              + " with document (batch) ID: nope was not found");
    }
    // a batch is found only under its own tenant
    String id = create(s);
    Stream other = Stream.unique();
    http.get(other.batch(id)).assertError(404, "The document for tenantId: " + other.tenant()
        + " with document (batch) ID: " + id + " was not found");
    http.put(other.action(id, "terminate"), "{}").assertError(404, "error getting current Batch Status: "
        + "The document for tenantId: " + other.tenant() + " with document (batch) ID: " + id + " was not found");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "sendComplete|{}|Missing required parameter(s): [expectedRecordCount]",
      "sendComplete|``|Missing required parameter(s): [expectedRecordCount]",
      "sendComplete|{\"expectedRecordCount\":null}|Missing required parameter(s): [expectedRecordCount]",
      "sendComplete|{\"expectedRecordCount\":\"1\"}|Invalid parameter type(s): [expectedRecordCount must be an integer, got string instead.]",
      "sendComplete|{\"recordCount\":true}|Invalid parameter type(s): [recordCount must be an integer, got boolean instead.]",
      "sendComplete|{\"expectedRecordCount\":-1}|Invalid parameter value(s): expectedRecordCount must be greater than or equal to 0",
      "sendComplete|{\"expectedRecordCount\":1,\"metadata\":1}|Invalid parameter type(s): [metadata must be an object, got number instead.]",
      "terminate|{\"metadata\":\"x\"}|Invalid parameter type(s): [metadata must be an object, got string instead.]",
      "terminate|[1]|Request body must be a JSON object",
      "processingComplete|{}|Missing required parameter(s): [actualRecordCount, invalidRecordCount]",
      "processingComplete|{\"actualRecordCount\":1}|Missing required parameter(s): [invalidRecordCount]",
      "processingComplete|{\"actualRecordCount\":1.5,\"invalidRecordCount\":0}|Invalid parameter type(s): [actualRecordCount must be an integer, got a fractional number instead.]",
      "processingComplete|{\"actualRecordCount\":1,\"invalidRecordCount\":-3}|Invalid parameter value(s): invalidRecordCount must be greater than or equal to 0",
      "fail|{\"actualRecordCount\":1,\"invalidRecordCount\":0}|Missing required parameter(s): [failureMessage]",
      "fail|{\"actualRecordCount\":1,\"invalidRecordCount\":0,\"failureMessage\":\"\"}|Missing required parameter(s): [failureMessage]",
      "fail|{\"actualRecordCount\":1,\"invalidRecordCount\":0,\"failureMessage\":\"  \"}|Missing required parameter(s): [failureMessage]",
      "fail|{\"failureMessage\":7}|Missing required parameter(s): [actualRecordCount, invalidRecordCount]",
      "fail|{\"actualRecordCount\":1,\"invalidRecordCount\":0,\"failureMessage\":7}|Invalid parameter type(s): [failureMessage must be a string, got number instead.]",
      "fail|{oops|Request body is not valid JSON",
  })
  void actionBodiesAreChecked(String action, String body, String description, KafkaBroker broker) {
    Stream s = pool.take();
    String id = create(s);
    http.put(s.action(id, action), body).assertError(400, description);
    assertThat(batch(s, id).get("status").asText(), is("started"));
    assertThat("only the started notification", s.notificationCount(broker), is(1L));
  }

  @Test
  void aFailedNotificationWriteLeavesTheBatchUnchanged(KafkaBroker broker) throws Exception {
    Stream s = pool.take();
    String id = create(s);
    JsonNode before = batch(s, id);
    broker.admin().deleteTopics(List.of(s.notification())).all().get(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (broker.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(s.notification())) {
      assertThat("topic deleted in time", System.nanoTime() < deadline, is(true));
      Thread.sleep(50);
    }
    http.put(s.action(id, "sendComplete"), SEND_COMPLETE_BODY).assertError(500,
        "kafka producer error: Broker: Unknown topic or partition (topic '" + s.notification() + "')");
    assertThat(batch(s, id), is(before));
    http.put(s.action(id, "fail"), FAIL_BODY).assertError(500,
        "kafka producer error: Broker: Unknown topic or partition (topic '" + s.notification() + "')");
    assertThat(batch(s, id), is(before));
  }

  // ---------------------------------------------------------------------------------------------------------
  // List

  @Test
  void listFiltersAndPages(KafkaBroker broker) {
    Stream s = pool.take();
    String a1 = create(s, s.createBody("alpha"));
    CLOCK.advance(Duration.ofDays(1));
    String b = create(s, s.createBody("beta"));
    ok(http.put(s.action(b, "sendComplete"), SEND_COMPLETE_BODY));
    CLOCK.advance(Duration.ofDays(1));
    String a2 = create(s, s.createBody("alpha"));
    ok(http.put(s.action(a2, "terminate"), null));
    CLOCK.advance(Duration.ofDays(1));
    String g = create(s, s.createBody("gamma"));

    JsonNode all = http.get(s.batches()).json();
    assertThat(all.get("total").asInt(), is(4));
    assertThat(ids(all), contains(a1, b, a2, g));
    assertThat(all.get("results").get(1), is(batch(s, b)));

    assertThat(idsOf(s, "?name=alpha"), contains(a1, a2));
    assertThat(idsOf(s, "?status=started"), contains(a1, g));
    assertThat(idsOf(s, "?status=terminated&name=alpha"), contains(a2));
    assertThat(idsOf(s, "?status=completed"), empty());
    assertThat(idsOf(s, "?gteDate=2024-03-02"), contains(b, a2, g));
    assertThat(idsOf(s, "?lteDate=2024-03-02"), contains(a1, b));
    assertThat(idsOf(s, "?gteDate=2024-03-02T10:00:00Z&lteDate=2024-03-03T10:00:00Z"), contains(b, a2));
    assertThat(idsOf(s, "?gteDate=2024-03-02T12:00:00%2B02:00"), contains(b, a2, g));
    assertThat(idsOf(s, "?size=2"), contains(a1, b));
    assertThat(idsOf(s, "?size=2&from=2"), contains(a2, g));
    JsonNode beyond = http.get(s.batches() + "?from=4").json();
    assertThat(beyond.get("total").asInt(), is(4));
    assertThat(ids(beyond), empty());
    assertThat(http.get(s.batches() + "/?size=10000").status(), is(200));

    assertThat(http.get("/hri/tenants/" + Stream.unique().tenant() + "/batches").body(),
        is("{\"total\":0,\"results\":[]}"));
  }

  @Test
  void listReturnsTenByDefault(KafkaBroker broker) {
    Stream s = pool.take();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      created.add(create(s));
    }
    JsonNode page = http.get(s.batches()).json();
    assertThat(page.get("total").asInt(), is(11));
    assertThat(ids(page), is(created.subList(0, 10)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "?size=10000&from=1|Result window is too large, from + size must be less than or equal to: [10000] but was [10001].",
      "?from=9995|Result window is too large, from + size must be less than or equal to: [10000] but was [10005].",
      "?size=abc|Error parsing 'size' parameter: not an integer",
      "?from=-1|[from] parameter cannot be negative, found [-1]",
      "?name=a%22b|query parameters may not contain these characters: \"[]{}",
      "?status=%7Bx%7D|query parameters may not contain these characters: \"[]{}",
      "?gteDate=yesterday|Error parsing 'gteDate' parameter: expected an ISO 8601 date (2021-02-03) or date-time (2021-02-03T04:05:06Z)",
  })
  void badListQueriesAre400(String query, String description) {
    Stream s = Stream.unique();
    http.get(s.batches() + query).assertError(400, description);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Routing

  @Test
  void trailingSlashesAreTolerated(KafkaBroker broker) {
    Stream s = pool.take();
    Http.Res created = http.post(s.batches() + "/", s.createBody("slash"));
    assertThat(created.status(), is(201));
    String id = created.json().get("id").asText();
    assertThat(http.get(s.batch(id) + "/").status(), is(200));
    ok(http.put(s.action(id, "sendComplete") + "/", SEND_COMPLETE_BODY));
    assertThat(http.get(s.batches() + "/").json().get("total").asInt(), is(1));
    assertThat(http.get("/alive/").body(), is("yes"));
    assertThat(s.notificationStatuses(reader), contains("started", "sendCompleted"));
  }

  @Test
  void unknownPathsAndMethods() {
    http.get("/hri/nothing").assertError(404, "Not Found");
    http.get("/hri/tenants/t1/batches/b1/action/sendComplete").assertError(405, "Method Not Allowed");
    http.put("/hri/tenants/t1/batches/b1/action/unknown", "{}").assertError(404, "Not Found");
    http.send("DELETE", "/hri/tenants/t1/batches", null, null).assertError(405, "Method Not Allowed");
    http.post("/alive", "{}").assertError(405, "Method Not Allowed");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Host and Content-Type (a web page in the developer's browser must not reach the API)

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:PORT", "127.0.0.1", "localhost:PORT", "LocalHost:PORT", "localhost",
      "[::1]:PORT", "[::1]", "hri-local.test:PORT", "HRI-LOCAL.TEST", "localhost:"})
  void loopbackAndAllowedHostNamesAreServed(String host) {
    Http.Res r = http.raw("GET", "/alive", null, "Host: " + host.replace("PORT", "" + http.port()));
    assertThat(r.body(), r.status(), is(200));
    assertThat(r.body(), is("yes"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "evil.example:PORT", "127.0.0.1.evil.example:PORT",
      "localhost.evil.example", "hri-local.test.evil.example", "127.0.0.2:PORT", "0.0.0.0:PORT", "::1",
      "localhost:PORT:PORT", "localhost:http", "localhost:123456", "localhost.", ""})
  void otherHostNamesAre421(String host, KafkaBroker broker) {
    Stream s = pool.take();
    String header = "Host: " + host.replace("PORT", "" + http.port());
    http.raw("GET", "/alive", null, header).assertError(421, LocalManagementApi.MSG_MISDIRECTED);
    http.raw("GET", s.batches(), null, header).assertError(421, LocalManagementApi.MSG_MISDIRECTED);
    http.raw("POST", s.batches(), s.createBody("rebound"), header, "Content-Type: application/json")
        .assertError(421, LocalManagementApi.MSG_MISDIRECTED);
    assertThat(http.get(s.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat("nothing written", s.notificationCount(broker), is(0L));
  }

  @Test
  void aMissingOrRepeatedHostHeaderIs421() {
    http.raw("GET", "/alive", null).assertError(421, LocalManagementApi.MSG_MISDIRECTED);
    http.raw("GET", "/alive", null, "Host: 127.0.0.1", "Host: evil.example")
        .assertError(421, LocalManagementApi.MSG_MISDIRECTED);
  }

  @Test
  void allowedHostsAreNamesWithoutAPort() {
    LocalManagementApi.Config.Builder b = LocalManagementApi.Config.builder().bootstrapServers("127.0.0.1:9");
    assertThat(b.allowedHost("HRI.Example").allowedHost("[FD00::1]").build().allowedHosts(),
        is(java.util.Set.of("hri.example", "[fd00::1]")));
    for (String bad : List.of("hri.example:8080", "", "*.example", "a/b", "fd00::1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LocalManagementApi.Config.builder().bootstrapServers("127.0.0.1:9").allowedHost(bad).build());
      assertThat(e.getMessage(), is("allowed host '" + bad + "' must be a host name without a port"));
    }
  }

  /** No Content-Type, or any but JSON: a browser sends forms and text/plain cross-site without a preflight. */
  @ParameterizedTest
  @ValueSource(strings = {"-", "text/plain", "text/plain; charset=UTF-8", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json", "text/json", ""})
  void postAndPutWithoutJsonContentTypeAre415(String contentType, KafkaBroker broker) {
    Stream s = pool.take();
    String type = contentType.equals("-") ? null : contentType;
    http.send("POST", s.batches(), type, s.createBody("form"), null)
        .assertError(415, LocalManagementApi.MSG_NOT_JSON);
    assertThat(http.get(s.batches()).body(), is("{\"total\":0,\"results\":[]}"));
    assertThat("nothing written", s.notificationCount(broker), is(0L));
    String id = create(s);
    for (String action : List.of("sendComplete", "terminate", "processingComplete", "fail")) {
      http.send("PUT", s.action(id, action), type, bodyFor(action), null)
          .assertError(415, LocalManagementApi.MSG_NOT_JSON);
    }
    assertThat(batch(s, id).get("status").asText(), is("started"));
    assertThat("only the started notification", s.notificationCount(broker), is(1L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "Application/JSON;charset=utf-8",
      "application/json ; charset=\"utf-8\""})
  void jsonContentTypesAreAccepted(String contentType, KafkaBroker broker) {
    Stream s = pool.take();
    Http.Res created = http.send("POST", s.batches(), contentType, s.createBody("json"), null);
    assertThat(created.body(), created.status(), is(201));
    String id = created.json().get("id").asText();
    http.send("PUT", s.action(id, "sendComplete"), contentType, SEND_COMPLETE_BODY, null).assertEmpty(200);
    assertThat(s.notificationStatuses(reader), contains("started", "sendCompleted"));
  }

  @Test
  void getsAndTheTokenEndpointNeedNoJsonContentType() {
    Stream s = pool.take();
    assertThat(http.send("GET", s.batches(), "text/plain", null, null).status(), is(200));
    assertThat(http.token("any-client", "any-secret", "grant_type=client_credentials").status(), is(200));
  }

  // ---------------------------------------------------------------------------------------------------------

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("results").forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  static List<String> idsOf(Stream s, String query) {
    Http.Res r = http.get(s.batches() + query);
    assertThat(r.body(), r.status(), is(200));
    JsonNode page = r.json();
    if (!query.contains("size=") && !query.contains("from=")) {
      assertThat(page.get("total").asInt(), equalTo(page.get("results").size()));
    }
    return ids(page);
  }
}

package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restart from the notification topics, validation off, and the healthcheck when Kafka goes away. */
@ExtendWith(KafkaBrokerExtension.class)
class LocalManagementApiRestartTest {
  static StreamPool pool;
  static NotificationReader reader;

  @BeforeAll
  static void setUp(KafkaBroker broker) {
    pool = StreamPool.create(broker, 3, null);
    reader = new NotificationReader(broker);
  }

  @AfterAll
  static void tearDown() {
    if (reader != null) {
      reader.close();
    }
  }

  static LocalManagementApi.Config config(String brokers, boolean validation) {
    return LocalManagementApi.Config.builder().bootstrapServers(brokers).validation(validation).build();
  }

  static String create(Http http, Stream s, String name) {
    Http.Res r = http.post(s.batches(), "{\"name\":\"" + name + "\",\"topic\":\"" + s.in()
        + "\",\"dataType\":\"claims\",\"invalidThreshold\":2,\"metadata\":{\"n\":\"" + name + "\"}}");
    assertThat(r.body(), r.status(), is(201));
    return r.json().get("id").asText();
  }

  @Test
  void aRestartKeepsEveryBatchAndItsStatus(KafkaBroker broker, KafkaTestClient kafka) {
    Stream s1 = pool.take();
    Stream s2 = pool.take();
    Map<String, Stream> streamOf = new LinkedHashMap<>();
    try (LocalManagementApi first = LocalManagementApi.start(config(broker.bootstrapServers(), true))) {
      Http http = new Http(first);
      for (Stream s : List.of(s1, s2)) {
        String started = create(http, s, "started");
        String sendCompleted = create(http, s, "sendCompleted");
        http.put(s.action(sendCompleted, "sendComplete"), "{\"expectedRecordCount\":5}").assertEmpty(200);
        String completed = create(http, s, "completed");
        http.put(s.action(completed, "sendComplete"), "{\"expectedRecordCount\":1}").assertEmpty(200);
        http.put(s.action(completed, "processingComplete"), "{\"actualRecordCount\":1,\"invalidRecordCount\":0}")
            .assertEmpty(200);
        String terminated = create(http, s, "terminated");
        http.put(s.action(terminated, "terminate"), "{}").assertEmpty(200);
        String failed = create(http, s, "failed");
        http.put(s.action(failed, "fail"),
            "{\"actualRecordCount\":3,\"invalidRecordCount\":2,\"failureMessage\":\"threshold\"}").assertEmpty(200);
        for (String id : List.of(started, sendCompleted, completed, terminated, failed)) {
          streamOf.put(id, s);
        }
      }
      Map<String, JsonNode> before = snapshot(http, streamOf);
      JsonNode list1 = http.get(s1.batches()).json();
      JsonNode list2 = http.get(s2.batches()).json();
      first.close();

      // what the pipeline writes itself in standalone mode (null key) also counts; junk is skipped
      String startedInS1 = streamOf.keySet().iterator().next();
      ObjectNode byPipeline = before.get(startedInS1).deepCopy();
      byPipeline.put("status", "failed").put("failureMessage", "from the job");
      kafka.send(s1.notification(), null, byPipeline.toString().getBytes(StandardCharsets.UTF_8));
      kafka.send(s1.notification(), null, "not a notification".getBytes(StandardCharsets.UTF_8));
      kafka.send(s1.notification(), "k".getBytes(StandardCharsets.UTF_8), null);
      before.put(startedInS1, byPipeline);

      try (LocalManagementApi second = LocalManagementApi.start(config(broker.bootstrapServers(), true))) {
        Http http2 = new Http(second);
        assertThat(snapshot(http2, streamOf), is(before));
        JsonNode again1 = http2.get(s1.batches()).json();
        assertThat(again1.get("total"), is(list1.get("total")));
        assertThat(LocalManagementApiTest.ids(again1), is(LocalManagementApiTest.ids(list1)));
        assertThat(http2.get(s2.batches()).json(), is(list2));

        // and the batches go on from where they were
        String sendCompleted = LocalManagementApiTest.ids(list2).get(1);
        http2.put(s2.action(sendCompleted, "processingComplete"), "{\"actualRecordCount\":5,\"invalidRecordCount\":0}")
            .assertEmpty(200);
        assertThat(http2.get(s2.batch(sendCompleted)).json().get("status").asText(), is("completed"));
        String started2 = LocalManagementApiTest.ids(list2).get(0);
        http2.put(s2.action(started2, "sendComplete"), "{\"expectedRecordCount\":1}").assertEmpty(200);
        http2.put(s2.action(started2, "sendComplete"), "{\"expectedRecordCount\":1}")
            .assertError(409, "sendComplete failed, batch is in 'sendCompleted' state");
        List<String> statuses = s2.notificationStatuses(reader);
        assertThat(statuses.subList(statuses.size() - 2, statuses.size()), contains("completed", "sendCompleted"));
      }
    }
  }

  private static Map<String, JsonNode> snapshot(Http http, Map<String, Stream> streamOf) {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    streamOf.forEach((id, s) -> {
      Http.Res r = http.get(s.batch(id));
      assertThat(r.body(), r.status(), is(200));
      docs.put(id, r.json());
    });
    return docs;
  }

  @Test
  void withValidationOffSendCompleteCompletesTheBatch(KafkaBroker broker) {
    Stream s = pool.take();
    try (LocalManagementApi api = LocalManagementApi.start(config(broker.bootstrapServers(), false))) {
      Http http = new Http(api);
      String id = create(http, s, "no-validation");
      JsonNode started = http.get(s.batch(id)).json();
      http.put(s.action(id, "sendComplete"), "{\"expectedRecordCount\":9}").assertEmpty(200);
      JsonNode completed = http.get(s.batch(id)).json();
      ObjectNode expected = started.deepCopy();
      expected.put("status", "completed").put("recordCount", 9).put("expectedRecordCount", 9);
      expected.set("endDate", completed.get("endDate"));
      assertThat(completed, is(expected));
      assertThat(completed.get("endDate").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), is(true));
      s.assertNotifications(reader, List.of(started, completed));

      // processingComplete and fail behave the same whatever the flag
      http.put(s.action(id, "processingComplete"), "{\"actualRecordCount\":9,\"invalidRecordCount\":0}")
          .assertError(409, "processingComplete failed, batch is in 'completed' state");
      http.put(s.action(id, "fail"), "{\"actualRecordCount\":9,\"invalidRecordCount\":0,\"failureMessage\":\"late\"}")
          .assertEmpty(200);
      assertThat(s.notificationStatuses(reader), contains("started", "completed", "failed"));
    }
  }

  @Test
  void healthcheckIs503WhenKafkaIsUnreachable() {
    KafkaBroker own = KafkaBroker.start();
    String brokers = own.bootstrapServers();
    try (LocalManagementApi api = LocalManagementApi.start(LocalManagementApi.Config.builder()
        .bootstrapServers(brokers).kafkaTimeout(Duration.ofSeconds(1)).build())) {
      Http http = new Http(api);
      http.get("/hri/healthcheck").assertEmpty(200);
      own.close();
      http.get("/hri/healthcheck").assertError(503,
          "HRI Service Temporarily Unavailable | error Detail: Kafka status: Kafka Connection/Read Partition failed");
      assertThat(http.get("/alive").body(), is("yes"));
    } finally {
      own.close();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalManagementApi.start(
        LocalManagementApi.Config.builder().bootstrapServers(brokers).kafkaTimeout(Duration.ofSeconds(1)).build()));
    assertThat(e.getMessage(), containsString("Kafka at " + brokers + " is not reachable"));
  }
}

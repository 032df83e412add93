package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hri.testing.KafkaBroker;

/**
 * The topics of one test's stream, {@code ingest.<tenant>.<integrator>.in/.notification}, with names no other
 * test uses.
 */
record Stream(String tenant, String integrator) {
  static Stream unique() {
    return new Stream(KafkaBroker.uniqueTopicName("t"), KafkaBroker.uniqueTopicName("di"));
  }

  static Stream unique(String tenant) {
    return new Stream(tenant, KafkaBroker.uniqueTopicName("di"));
  }

  /** Creates the {@code .in} and {@code .notification} topics (one partition each). */
  Stream create(KafkaBroker broker) {
    broker.createTopics(1, in(), notification());
    return this;
  }

  String in() {
    return "ingest." + tenant + "." + integrator + ".in";
  }

  String notification() {
    return "ingest." + tenant + "." + integrator + ".notification";
  }

  String batches() {
    return "/hri/tenants/" + tenant + "/batches";
  }

  String batch(String id) {
    return batches() + "/" + id;
  }

  String action(String id, String action) {
    return batch(id) + "/action/" + action;
  }

  /** A create request for this stream's input topic. */
  String createBody(String name) {
    return "{\"name\":\"" + name + "\",\"topic\":\"" + in() + "\",\"dataType\":\"claims\"}";
  }

  /** Everything on the notification topic now (writes are acknowledged before the API answers). */
  List<ConsumerRecord<byte[], byte[]>> notifications(NotificationReader reader) {
    return reader.readAll(notification());
  }

  /** Asserts the notification topic holds exactly these documents, in order, each with key = its id. */
  void assertNotifications(NotificationReader reader, List<JsonNode> expected) {
    List<ConsumerRecord<byte[], byte[]>> records = notifications(reader);
    assertThat(records, hasSize(expected.size()));
    for (int i = 0; i < expected.size(); i++) {
      ConsumerRecord<byte[], byte[]> r = records.get(i);
      assertThat("notification " + i, Http.json(r.value()), is(expected.get(i)));
      assertThat(new String(r.key(), StandardCharsets.UTF_8), is(expected.get(i).get("id").asText()));
      assertThat(r.headers().toArray().length, is(0));
    }
  }

  /** How many notifications the topic holds (its end offset; one partition). */
  long notificationCount(KafkaBroker broker) {
    TopicPartition tp = new TopicPartition(notification(), 0);
    try {
      return broker.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
          .get(30, TimeUnit.SECONDS).offset();
    } catch (Exception e) {
      throw new AssertionError("Could not read the end offset of " + notification(), e);
    }
  }

  /** Whether the notification topic exists. */
  boolean notificationTopicExists(KafkaBroker broker) {
    try {
      return broker.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(notification());
    } catch (Exception e) {
      throw new AssertionError("Could not list the topics", e);
    }
  }

  /** The statuses on the notification topic, in order. */
  List<String> notificationStatuses(NotificationReader reader) {
    return notifications(reader).stream().map(r -> Http.json(r.value()).get("status").asText()).toList();
  }
}

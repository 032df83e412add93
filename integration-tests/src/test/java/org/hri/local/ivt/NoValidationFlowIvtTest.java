package org.hri.local.ivt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hri.testing.KafkaTestClient.utf8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hri.local.integrator.BatchApiClient;
import org.hri.local.integrator.IngestResult;
import org.hri.local.integrator.Integrator;
import org.hri.local.integrator.IntegratorConfig;
import org.hri.local.mgmt.LocalManagementApi;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HRI flow without validation (spec §4.5): the Management API moves a batch from {@code started} straight to
 * {@code completed} on sendComplete, so no validation job is involved. The integrator tool's core sends a file
 * through the real local Management API (authorization off) and the in-process broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class NoValidationFlowIvtTest {

  @Test
  void sendCompleteCompletesTheBatchDirectly(KafkaBroker broker, KafkaTestClient kafka, @TempDir Path folder)
      throws Exception {
    String tenant = KafkaBroker.uniqueTopicName("novalidation");
    TopicNames topics = TopicNames.forInput("ingest." + tenant + ".di1.in");
    broker.createTopics(Map.of(topics.input(), 2, topics.output(), 2, topics.notification(), 1, topics.invalid(), 1));
    Path in = Files.createDirectories(folder.resolve("in"));
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      lines.append("{\"n\":").append(i).append("}\n");
    }
    Files.writeString(in.resolve("records-5.ndjson"), lines.toString(), StandardCharsets.UTF_8);

    try (LocalManagementApi api = LocalManagementApi.start(LocalManagementApi.Config.builder()
        .bootstrapServers(broker.bootstrapServers()).validation(false).build())) {
      BatchApiClient client = new BatchApiClient(api.baseUrl(), tenant, null, Duration.ofSeconds(30));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Integrator integrator = new Integrator(
          IntegratorConfig.of(folder, broker.bootstrapServers(), topics.input())
              .withPollInterval(Duration.ofMillis(100)).withTimeout(Duration.ofSeconds(30)),
          client, new PrintStream(printed, true, StandardCharsets.UTF_8));

      List<IngestResult> results = integrator.run();

      assertThat(results, hasSize(1));
      IngestResult result = results.get(0);
      assertThat(result.outcome(), is(IngestResult.Outcome.COMPLETED));
      assertThat(result.expectedRecordCount(), is(5L));
      assertThat(result.actualRecordCount(), nullValue()); // nobody counted: no validation
      assertThat(result.invalidRecordCount(), nullValue());
      assertThat(result.movedTo(), is(folder.resolve("processed/records-5.ndjson")));
      String id = result.batchId();
      assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList().get(3),
          startsWith("records-5.ndjson: batch " + id + " completed (valid 5, invalid 0) in "));

      BatchNotification batch = client.getBatch(id);
      assertThat(batch.status(), is(BatchStatus.COMPLETED));
      assertThat(batch.expectedRecordCount(), is(5L));
      assertThat(batch.endDate(), notNullValue());
      assertThat(batch.integratorId(), is(LocalManagementApi.NO_AUTH_INTEGRATOR));

      List<BatchNotification> notifications = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topics.notification(), Duration.ofSeconds(1))) {
        assertThat(utf8(r.key()), is(id));
        notifications.add(parse(r.value()));
      }
      assertThat(notifications.stream().map(BatchNotification::status).toList(),
          contains(BatchStatus.STARTED, BatchStatus.COMPLETED));
      assertThat(notifications.get(1).actualRecordCount(), nullValue());

      List<ConsumerRecord<byte[], byte[]>> sent = kafka.readExactly(topics.input(), 5, Duration.ofSeconds(30));
      assertThat(sent.stream().map(r -> KafkaTestClient.lastHeader(r, "batchId")).toList(), everyItem(is(id)));
      assertThat(sent.stream().map(r -> utf8(r.key())).toList(), containsInAnyOrder(
          "records-5.ndjson:1", "records-5.ndjson:2", "records-5.ndjson:3", "records-5.ndjson:4",
          "records-5.ndjson:5"));
      // No validation job: nothing reaches *.out or *.invalid.
      assertThat(kafka.readAll(topics.output(), Duration.ZERO), hasSize(0));
      assertThat(kafka.readAll(topics.invalid(), Duration.ZERO), hasSize(0));
    }
  }

  private static BatchNotification parse(byte[] json) {
    try {
      return BatchNotification.fromJson(json);
    } catch (IOException e) {
      throw new AssertionError("unreadable notification", e);
    }
  }
}

package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hri.testing.KafkaTestClient.header;
import static org.hri.testing.KafkaTestClient.headerStrings;
import static org.hri.testing.KafkaTestClient.utf8;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job in standalone mode, end to end on the DirectRunner against a real broker: verdicts go to the
 * notification topic and are read back. Each test uses batches of its own on one running job.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class StandaloneJobTest {
  private static final long DELAY_MS = 3_000;
  private RunningJob job;

  @BeforeAll
  void startJob(KafkaBroker broker) {
    job =
        RunningJob.start(
            broker, ValidateRecords.using(new JsonBodyValidator()), runnerArgs(), "--standalone",
            "--batchCompletionDelay=" + DELAY_MS, "--unknownBatchTimeout=3000");
  }

  /** The runner the scenarios run on; subclasses in the runner modules rerun them elsewhere. */
  protected List<String> runnerArgs() {
    return RunningJob.DIRECT_RUNNER;
  }

  @AfterAll
  void stopJob() {
    job.close();
  }

  @Test
  void validBatchWithUtf8HeadersAndMetadataCompletesAfterTheDelay() {
    BatchNotification started = Batches.started(Batches.newId("happy"), job.topics.input(), -1);
    job.notify(started);
    for (int i = 0; i < 15; i++) {
      job.send(started.id(), "key-" + i, "{\"n\":" + i + "}", header("testUtf8あいうえおか", "値" + i),
          header("passThru", "justPassinThru"));
    }
    long sendCompletedAt = System.currentTimeMillis();
    job.notify(Batches.sendCompleted(started, 15));

    List<ConsumerRecord<byte[], byte[]>> out = job.awaitExactly(job.topics.output(), started.id(), 15);
    assertThat(
        out.stream().map(r -> utf8(r.key()) + "=" + utf8(r.value())).toList(),
        containsInAnyOrder(IntStream.range(0, 15).mapToObj(i -> "key-" + i + "={\"n\":" + i + "}").toArray()));
    for (ConsumerRecord<byte[], byte[]> record : out) {
      int i = Integer.parseInt(utf8(record.key()).substring(4));
      assertThat(
          headerStrings(record),
          contains("batchId=" + started.id(), "testUtf8あいうえおか=値" + i, "passThru=justPassinThru"));
    }
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.COMPLETED));
    assertThat(verdict.expectedRecordCount(), is(15L));
    assertThat(verdict.recordCount(), is(15L));
    assertThat(verdict.actualRecordCount(), is(15L));
    assertThat(verdict.invalidRecordCount(), is(0L));
    assertThat(verdict.failureMessage(), nullValue());
    assertThat(verdict.name(), is(started.name()));
    assertThat(verdict.metadata(), is(started.metadata()));
    // Not before the completion delay has passed since sendCompleted (endDate is in whole seconds).
    assertThat(verdict.endDate().toInstant().toEpochMilli(), greaterThanOrEqualTo(sendCompletedAt + DELAY_MS - 1_000));
    assertThat(job.awaitInvalid(started.id(), 0), hasSize(0));

    // Records sent once the completed notification is known are invalid: probe until the view has it.
    awaitProbeRejected(started.id());
    for (int i = 0; i < 15; i++) {
      job.send(started.id(), "late-" + i, "{}");
    }
    List<InvalidRecord> late = job.awaitInvalid(started.id(), 15 + probes);
    assertThat(late.stream().map(InvalidRecord::failure).toList(), everyItem(is("Bad Message - batchId is already completed")));
    job.awaitExactly(job.topics.output(), started.id(), 15 + probesAccepted);
  }

  private int probes;
  private int probesAccepted;

  /** Sends probe records until one comes back invalid, so the job has seen the batch's completion. */
  private void awaitProbeRejected(String batchId) {
    while (true) {
      probes++;
      job.send(batchId, "probe-" + probes, "{}");
      int invalidSoFar = probes - probesAccepted;
      List<ConsumerRecord<byte[], byte[]>> outcome =
          job.kafka.readUntil(
              job.topics.invalid(), r -> RunningJob.ofBatch(r, batchId).size() >= invalidSoFar,
              Duration.ofSeconds(5));
      if (RunningJob.ofBatch(outcome, batchId).size() >= invalidSoFar) {
        return;
      }
      probesAccepted++;
      assertThat("probes accepted while the completion is not yet known", probesAccepted, lessThanOrEqualTo(10));
    }
  }

  @Test
  void mixedBatchRoutesEachRecordAndCountsInvalidOnes() {
    BatchNotification started = Batches.started(Batches.newId("mixed"), job.topics.input(), -1);
    job.notify(started);
    List<RecordMetadata> invalidSent = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      if (i % 2 == 0) {
        job.send(started.id(), "k" + i, "{\"valid\":true}");
      } else {
        invalidSent.add(job.kafka.send(job.topics.input(), "k" + i, "Not-validJSON", List.of(header("batchId", started.id()))));
      }
    }
    job.notify(Batches.sendCompleted(started, 15));

    job.awaitExactly(job.topics.output(), started.id(), 8);
    List<InvalidRecord> invalid = job.awaitInvalid(started.id(), 7);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(),
        everyItem(is("com.fasterxml.jackson.core.JsonParseException"))); // its message would quote the input
    assertThat(invalid.stream().map(r -> r.topic() + "/" + r.partition() + "/" + r.offset() + "/" + r.batchId()).toList(),
        containsInAnyOrder(invalidSent.stream()
            .map(m -> m.topic() + "/" + m.partition() + "/" + m.offset() + "/" + started.id()).toArray()));
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.COMPLETED));
    assertThat(verdict.actualRecordCount(), is(15L));
    assertThat(verdict.invalidRecordCount(), is(7L));
  }

  @Test
  void reachingTheInvalidThresholdFailsTheBatchOnce() {
    BatchNotification started = Batches.started(Batches.newId("threshold"), job.topics.input(), 5);
    job.notify(started);
    for (int i = 0; i < 15; i++) {
      job.send(started.id(), "k" + i, "Not-validJSON");
    }
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.FAILED));
    // Counts reach the tracker pre-aggregated per bundle, so the verdict reports every invalid record
    // counted when the threshold was reached: at least 5.
    assertThat(verdict.invalidRecordCount(), greaterThanOrEqualTo(5L));
    assertThat(verdict.failureMessage(), is("Failing Batch: " + started.id()
        + ", too many invalid records invalidCount: " + verdict.invalidRecordCount() + " >= invalidThreshold: 5"));
    assertThat(job.awaitNotifications(started.id(), n -> n.status() == BatchStatus.FAILED).stream()
        .map(BatchNotification::status).toList(), contains(BatchStatus.STARTED, BatchStatus.FAILED));
  }

  @Test
  void recordsOfAnUnknownBatchAreInvalidAfterTheHoldTimeout() {
    String unknown = Batches.newId("unknown");
    for (int i = 0; i < 15; i++) {
      job.send(unknown, "k" + i, "{}");
    }
    List<InvalidRecord> invalid = job.awaitInvalid(unknown, 15);
    assertThat(invalid.stream().map(InvalidRecord::failure).toList(), everyItem(is("Bad Message - Unknown batchId")));
    assertThat(invalid.stream().map(InvalidRecord::batchId).toList(), everyItem(is(unknown)));
  }

  @Test
  void aRecordWithoutHeadersIsInvalidWithoutABatchId() {
    RecordMetadata sent = job.kafka.send(job.topics.input(), (byte[]) null, "{}".getBytes(StandardCharsets.UTF_8));
    List<ConsumerRecord<byte[], byte[]>> invalid =
        job.kafka.readUntil(job.topics.invalid(), records -> records.stream().anyMatch(r -> at(r, sent)), RunningJob.DEADLINE);
    ConsumerRecord<byte[], byte[]> notice = invalid.stream().filter(r -> at(r, sent)).findFirst().orElseThrow();
    assertThat(notice.key(), nullValue());
    assertThat(notice.headers().toArray().length, is(0));
    assertThat(utf8(notice.value()), is("{\"topic\":\"" + job.topics.input() + "\",\"partition\":" + sent.partition()
        + ",\"offset\":" + sent.offset() + ",\"failure\":\"Bad Message - No header or batchId node\"}"));
  }

  private static boolean at(ConsumerRecord<byte[], byte[]> notice, RecordMetadata sent) {
    String json = utf8(notice.value());
    return json.contains("\"partition\":" + sent.partition() + ",\"offset\":" + sent.offset() + ",");
  }

  @Test
  void moreRecordsThanExpectedFailTheBatch() {
    BatchNotification started = Batches.started(Batches.newId("fewer"), job.topics.input(), -1);
    job.notify(started);
    for (int i = 0; i < 15; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    job.notify(Batches.sendCompleted(started, 5));
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.FAILED));
    // The verdict comes as soon as the tracker has counted more than 5, whichever delta that was.
    assertThat(verdict.actualRecordCount(), both(greaterThan(5L)).and(lessThanOrEqualTo(15L)));
    assertThat(verdict.failureMessage(), is("Failing batch: " + started.id()
        + ", received too many records, actualRecordCount: " + verdict.actualRecordCount()
        + " > expectedRecordCount: 5"));
  }

  @Test
  void recordsArrivingWithinTheCompletionDelayFailTheBatch() {
    BatchNotification started = Batches.started(Batches.newId("extra"), job.topics.input(), -1);
    job.notify(started);
    job.notify(Batches.sendCompleted(started, 15));
    for (int i = 0; i < 18; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.FAILED));
    // Failed as soon as the tracker counted more than 15, whichever count delta brought that.
    assertThat(verdict.actualRecordCount(), both(greaterThan(15L)).and(lessThanOrEqualTo(18L)));
    // Every record counted was valid and reached *.out; records validated after the failure reached the
    // job's view of the batch are dropped, as for any failed batch, so 16 to 18 arrive and none is invalid.
    List<ConsumerRecord<byte[], byte[]>> out =
        job.awaitBetween(job.topics.output(), started.id(), verdict.actualRecordCount(), 18);
    assertThat("each record once", out.stream().map(r -> utf8(r.key())).distinct().count(), is((long) out.size()));
    assertThat(job.awaitInvalid(started.id(), 0), hasSize(0));
  }

  @Test
  void recordsRacingTheirNotificationsAreAllValid() {
    BatchNotification started = Batches.started(Batches.newId("race"), job.topics.input(), -1);
    CompletableFuture<Void> notifications = CompletableFuture.runAsync(() -> {
      job.notify(started);
      job.notify(Batches.sendCompleted(started, 10));
    });
    for (int i = 0; i < 10; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    notifications.join();
    job.awaitExactly(job.topics.output(), started.id(), 10);
    assertThat(job.awaitInvalid(started.id(), 0), hasSize(0));
    assertThat(job.awaitVerdict(started.id()).status(), is(BatchStatus.COMPLETED));
  }

  @Test
  void malformedAndTombstoneNotificationsAreSkippedAndTheJobGoesOn() {
    String id = Batches.newId("poison");
    job.kafka.send(job.topics.notification(), id.getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
    job.kafka.send(job.topics.notification(), id.getBytes(StandardCharsets.UTF_8), null);
    job.kafka.send(job.topics.notification(), id.getBytes(StandardCharsets.UTF_8),
        "{\"id\":\"x\",\"status\":\"paused\"}".getBytes(StandardCharsets.UTF_8));
    BatchNotification started = Batches.started(id, job.topics.input(), -1);
    job.notify(started);
    job.send(id, "k", "{}");
    job.notify(Batches.sendCompleted(started, 1));
    assertThat(job.awaitVerdict(id).status(), is(BatchStatus.COMPLETED));
  }

  @Test
  void twoInterleavedBatchesCompleteIndependently() {
    BatchNotification a = Batches.started(Batches.newId("a"), job.topics.input(), -1);
    BatchNotification b = Batches.started(Batches.newId("b"), job.topics.input(), -1);
    job.notify(a);
    job.notify(b);
    for (int i = 0; i < 15; i++) {
      job.send(a.id(), "a" + i, "{}");
      job.send(b.id(), "b" + i, "{}");
    }
    job.notify(Batches.sendCompleted(a, 15));
    job.notify(Batches.sendCompleted(b, 15));
    for (BatchNotification batch : List.of(a, b)) {
      List<ConsumerRecord<byte[], byte[]>> out = job.awaitExactly(job.topics.output(), batch.id(), 15);
      String prefix = batch == a ? "a" : "b";
      assertThat(out.stream().map(r -> utf8(r.key()).substring(0, 1)).distinct().toList(), contains(prefix));
      BatchNotification verdict = job.awaitVerdict(batch.id());
      assertThat(verdict.status(), is(BatchStatus.COMPLETED));
      assertThat(verdict.actualRecordCount(), equalTo(15L));
    }
  }

  @Test
  void aBatchTerminatedMidwayKeepsItsRecordsAndGetsNoVerdict() {
    BatchNotification started = Batches.started(Batches.newId("terminate"), job.topics.input(), -1);
    job.notify(started);
    for (int i = 0; i < 10; i++) {
      job.send(started.id(), "k" + i, "{}");
    }
    job.awaitExactly(job.topics.output(), started.id(), 10);
    job.notify(Batches.terminated(started));
    List<BatchNotification> notifications =
        job.awaitNotifications(started.id(), n -> n.status() == BatchStatus.TERMINATED);
    assertThat(notifications.stream().map(BatchNotification::status).toList(),
        contains(BatchStatus.STARTED, BatchStatus.TERMINATED));
    // No verdict follows within twice the completion delay.
    List<ConsumerRecord<byte[], byte[]>> all = job.kafka.readAll(job.topics.notification(), Duration.ofMillis(2 * DELAY_MS));
    assertThat(all.stream().filter(r -> r.key() != null && started.id().equals(utf8(r.key()))).count(), is(2L));
  }
}

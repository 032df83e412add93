package org.hri.local.consumer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ConsumerTest {
  @TempDir Path dir;
  private TopicNames topics;
  private KafkaBroker broker;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp(KafkaBroker broker) {
    this.broker = broker;
    topics = TopicNames.forInput("ingest." + KafkaBroker.uniqueTopicName("c") + ".di.in");
    broker.createTopic(topics.notification(), 1);
    broker.createTopic(topics.output(), 1);
  }

  private BatchConsumer consumer() {
    return new BatchConsumer(topics, Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  private int cli(String... args) {
    return new ConsumerTool().execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static BatchNotification notification(String id, BatchStatus status, Long actual, Long invalid,
      String failureMessage) {
    return new BatchNotification(id, "file-" + id, "integrator", "ignored.in", "fhir", status,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), null, 3L, 3L, actual, -1L, invalid, null,
        failureMessage);
  }

  private void notify(KafkaTestClient kafka, String key, BatchNotification n) {
    kafka.send(topics.notification(), KafkaTestClient.utf8(key), n.toJson());
  }

  private void record(KafkaTestClient kafka, String value, List<Header> headers) {
    kafka.send(topics.output(), null, KafkaTestClient.utf8(value), headers);
  }

  @Test
  void writesExactlyTheBatchRecords(KafkaTestClient kafka) throws Exception {
    Path output = dir.resolve("sub/a.ndjson");
    CompletableFuture<ConsumerResult> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return consumer().awaitBatch("A", output, Duration.ofSeconds(30));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300); // the consumer is waiting before anything arrives
    notify(kafka, "A", notification("A", BatchStatus.STARTED, null, null, null));
    notify(kafka, "B", notification("B", BatchStatus.STARTED, null, null, null));
    record(kafka, "{\"a\":1}", KafkaTestClient.headers("batchId", "A"));
    record(kafka, "{\"b\":1}", KafkaTestClient.headers("batchId", "B"));
    record(kafka, "{\n  \"a\": 2,\n  \"x\": 1.10\n}", KafkaTestClient.headers("trace", "t", "batchId", "A"));
    record(kafka, "{\"none\":1}", List.of());
    record(kafka, "{\"b-first\":1}", KafkaTestClient.headers("batchId", "B", "batchId", "A"));
    try (KafkaProducer<byte[], byte[]> tx = kafka.newTransactionalProducer(KafkaBroker.uniqueTopicName("tx"))) {
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(topics.output(), null, (byte[]) null, KafkaTestClient.utf8("{\"aborted\":1}"),
          KafkaTestClient.headers("batchId", "A")));
      tx.abortTransaction();
    }
    record(kafka, "{\"a\":3}", KafkaTestClient.headers("batchId", "A"));
    record(kafka, "{\"a\":\"late\"}", KafkaTestClient.headers("batchId", "A"));
    notify(kafka, "B", notification("B", BatchStatus.COMPLETED, 2L, 0L, null));
    // The job's standalone notifications have no key: the id decides. 4 counted, 1 invalid: 3 valid records.
    notify(kafka, null, notification("A", BatchStatus.COMPLETED, 4L, 1L, null));

    ConsumerResult result = waiting.get(30, TimeUnit.SECONDS);

    assertThat(result.outcome(), is(ConsumerResult.Outcome.COMPLETED));
    assertThat(result.recordsWritten(), is(3L));
    assertThat(result.expectedRecords(), is(3L));
    assertThat(Files.readAllLines(output), equalTo(List.of("{\"a\":1}", "{\"a\":2,\"x\":1.10}", "{\"a\":3}")));
    try (var files = Files.list(output.getParent())) {
      assertThat(files.count(), is(1L)); // no temporary file left
    }

    // The command line, for the other batch on the same topics
    Path outputB = dir.resolve("b.ndjson");
    int code = cli("--brokers=" + broker.bootstrapServers(), "--input=" + topics.input(), "--batchId=B",
        "--outputFile=" + outputB, "--timeout=30");
    assertThat(err.toString(StandardCharsets.UTF_8), equalTo(""));
    assertThat(code, is(0));
    assertThat(out.toString(StandardCharsets.UTF_8).strip(),
        equalTo("batch B completed: 2 records written to " + outputB));
    assertThat(Files.readAllLines(outputB), equalTo(List.of("{\"b\":1}", "{\"b-first\":1}")));
  }

  @Test
  void reportsFailedAndTerminatedBatches(KafkaTestClient kafka) throws Exception {
    String message = "Failing batch: F, received too many records, actualRecordCount: 4 > expectedRecordCount: 3";
    notify(kafka, "F", notification("F", BatchStatus.SEND_COMPLETED, null, null, null));
    // completed, then failed: the API allows completed -> failed, and the later notification wins
    notify(kafka, "F", notification("F", BatchStatus.COMPLETED, 3L, 0L, null));
    notify(kafka, "F", notification("F", BatchStatus.FAILED, 4L, 0L, message));
    notify(kafka, "T", notification("T", BatchStatus.TERMINATED, null, null, null));
    record(kafka, "{\"f\":1}", KafkaTestClient.headers("batchId", "F"));

    ConsumerResult failed = consumer().awaitBatch("F", dir.resolve("f.ndjson"), Duration.ofSeconds(30));
    assertThat(failed.outcome(), is(ConsumerResult.Outcome.FAILED));
    assertThat(failed.failureMessage(), equalTo(message));
    assertThat(Files.exists(dir.resolve("f.ndjson")), is(false));

    String[] common = {"--brokers=" + broker.bootstrapServers(), "--input=" + topics.input(), "--timeout=30"};
    assertThat(cli(common[0], common[1], common[2], "--batchId=F", "--outputFile=" + dir.resolve("f.ndjson")),
        is(1));
    assertThat(cli(common[0], common[1], common[2], "--batchId=T", "--outputFile=" + dir.resolve("t.ndjson")),
        is(1));
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList(),
        equalTo(List.of("batch F failed: " + message, "batch T terminated")));
    assertThat(Files.exists(dir.resolve("t.ndjson")), is(false));
  }

  @Test
  void timesOutWithoutAFinalNotification(KafkaTestClient kafka) throws Exception {
    notify(kafka, "S", notification("S", BatchStatus.SEND_COMPLETED, null, null, null));

    ConsumerResult result = consumer().awaitBatch("S", dir.resolve("s.ndjson"), Duration.ofSeconds(1));
    assertThat(result.outcome(), is(ConsumerResult.Outcome.TIMEOUT));
    assertThat(result.notification().status(), is(BatchStatus.SEND_COMPLETED));

    int code = cli("--brokers=" + broker.bootstrapServers(), "--input=" + topics.input(), "--batchId=S",
        "--outputFile=" + dir.resolve("s.ndjson"), "--timeout=1");
    assertThat(code, is(1));
    assertThat(out.toString(StandardCharsets.UTF_8).strip(), equalTo("batch S: no completed, failed or terminated "
        + "notification on " + topics.notification() + " within 1 s (last status: sendCompleted)"));
    assertThat(Files.exists(dir.resolve("s.ndjson")), is(false));
  }

  @Test
  void reportsMissingRecordsOfACompletedBatch(KafkaTestClient kafka) throws Exception {
    record(kafka, "{\"m\":1}", KafkaTestClient.headers("batchId", "M"));
    notify(kafka, "M", notification("M", BatchStatus.COMPLETED, 3L, 0L, null));

    ConsumerResult result = consumer().awaitBatch("M", dir.resolve("m.ndjson"), Duration.ofSeconds(10));

    assertThat(result.outcome(), is(ConsumerResult.Outcome.INCOMPLETE));
    assertThat(result.recordsWritten(), is(1L));
    assertThat(result.expectedRecords(), is(3L));
    assertThat(Files.readAllLines(dir.resolve("m.ndjson")), equalTo(List.of("{\"m\":1}")));
  }

  @Test
  void usageErrorsExitWith2() {
    String brokers = "--brokers=127.0.0.1:9";
    assertThat(cli(), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), startsWith("Missing required options: '--brokers="));
    assertThat(cli(brokers, "--input=ingest.t.di.in", "--outputFile=x"), is(2));
    assertThat(cli(brokers, "--input=ingest.t.di.out", "--batchId=b", "--outputFile=x"), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("It must end with \".in\""));
    assertThat(cli(brokers, "--input=ingest.t.di.in", "--batchId=b", "--outputFile=x", "--timeout=0"), is(2));
    assertThat(cli(brokers, "--input=ingest.t.di.in", "--batchId=b", "--outputFile=x", "--kafkaProperties=oops"),
        is(2));
    assertThat(cli(brokers, "--input=ingest.t.di.in", "--batchId=b", "--outputFile=x", "extra"), is(2));
    assertThat(out.toString(StandardCharsets.UTF_8), equalTo(""));
    assertThat(cli("--help"), is(0));
    assertThat(out.toString(StandardCharsets.UTF_8), startsWith("Usage: ConsumerTool "));
  }
}

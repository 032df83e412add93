package org.hri.local.quickstart;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class ProgressMonitorTest {
  @TempDir Path folder;

  @Test
  void printsStatusChangesAndCountsOfTheFolderBatchesAndASummary(KafkaBroker broker, KafkaTestClient kafka)
      throws Exception {
    TopicNames topics = TopicNames.forInput("ingest." + KafkaBroker.uniqueTopicName("pm") + ".di.in");
    broker.createTopics(Map.of(topics.input(), 2, topics.output(), 2, topics.notification(), 1, topics.invalid(), 1));
    Files.createDirectories(folder.resolve("in"));
    Files.writeString(folder.resolve("in/a.ndjson"), "{}\n");
    Path done = folder.resolve("done");
    Path summary = folder.resolve("summary.tsv");

    // A batch of the folder (a.ndjson) and another one (the probe) that is not reported.
    notify(kafka, topics, "b1", "{\"id\":\"b1\",\"name\":\"a.ndjson\",\"status\":\"started\"}");
    notify(kafka, topics, "p1", "{\"id\":\"p1\",\"name\":\"probe.ndjson\",\"status\":\"started\"}");
    for (int i = 0; i < 3; i++) {
      kafka.send(topics.input(), "k" + i, "secret-content-" + i, KafkaTestClient.headers("batchId", "b1"));
      kafka.send(topics.input(), "p" + i, "secret-content-" + i, KafkaTestClient.headers("batchId", "p1"));
    }
    kafka.send(topics.output(), "k0", "secret-content-0", KafkaTestClient.headers("batchId", "b1"));
    kafka.send(topics.output(), "k1", "secret-content-1", KafkaTestClient.headers("batchId", "b1"));
    kafka.send(topics.invalid(), null, "{\"batchId\":\"b1\"}", KafkaTestClient.headers("batchId", "b1"));
    notify(kafka, topics, "b1", "{\"id\":\"b1\",\"name\":\"a.ndjson\",\"status\":\"sendCompleted\","
        + "\"expectedRecordCount\":3}");
    notify(kafka, topics, "b1", "{\"id\":\"b1\",\"name\":\"a.ndjson\",\"status\":\"completed\","
        + "\"expectedRecordCount\":3,\"actualRecordCount\":3,\"invalidRecordCount\":1}");
    Files.createDirectories(folder.resolve("processed"));
    Files.writeString(folder.resolve("processed/a.ndjson.status.json"), "{\"batchId\":\"b1\",\"status\":\"completed\","
        + "\"expectedRecordCount\":3,\"actualRecordCount\":3,\"invalidRecordCount\":1,\"failureMessage\":null,"
        + "\"seconds\":6.25}");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> new ProgressMonitor.Command().execute(new String[] {
        "--brokers=" + broker.bootstrapServers(), "--input=" + topics.input(), "--folder=" + folder,
        "--doneFile=" + done, "--summaryFile=" + summary, "--timeout=60", "--interval=0"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    Files.writeString(done, "");
    assertThat(code.get(60, TimeUnit.SECONDS), is(0));

    String printed = out.toString(StandardCharsets.UTF_8);
    List<String> lines = printed.lines().toList();
    assertThat(err.toString(StandardCharsets.UTF_8), equalTo(""));
    assertThat(printed, not(containsString("secret-content")));
    assertThat(printed, not(containsString("probe")));
    assertThat(lines, hasItem(matchesPattern("\\[ *[0-9.]+s\\] a\\.ndjson +in +\\d+ +out +\\d+ +invalid +\\d+  "
        + "status started \\(batch b1\\)")));
    assertThat(lines, hasItem(matchesPattern(".*status sendCompleted \\(expected 3\\)")));
    assertThat(lines, hasItem(matchesPattern(".*a\\.ndjson +in +3 +out +2 +invalid +1  status completed "
        + "\\(actual 3, invalid 1\\)|.*a\\.ndjson +in +3 +out +2 +invalid +1")));
    assertThat(lines, hasItem(matchesPattern("a\\.ndjson +3 +2 +1 +completed +6\\.3 s +2 +1")));
    assertThat(Files.readString(summary), equalTo("a.ndjson\tb1\tcompleted\t3\t2\t1\t6.3\t2\t1\n"));
  }

  private static void notify(KafkaTestClient kafka, TopicNames topics, String id, String json) {
    kafka.send(topics.notification(), id, json);
  }
}

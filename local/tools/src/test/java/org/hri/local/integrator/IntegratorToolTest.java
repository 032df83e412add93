package org.hri.local.integrator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.FakeManagementApi.Verdict;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class IntegratorToolTest {
  @TempDir Path folder;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new IntegratorTool().execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageErrorsExitWith2() throws IOException {
    Files.createDirectories(folder.resolve("in"));
    String f = "--folder=" + folder;
    String common = "--brokers=127.0.0.1:9";
    String in = "--input=ingest.t1.di.in";
    String api = "--mgmtUrl=http://127.0.0.1:9/hri";

    assertThat(run(), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), startsWith("Missing required options: "));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("'--folder=DIR'"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("Usage: IntegratorTool"));
    assertThat(run(f, common, in, api, "--bogus=1"), is(2));
    assertThat(run(f, common, in, api, "--timeout=soon"), is(2));
    assertThat(run(f, common, in, api, "--concurrency=0"), is(2));
    assertThat(run(f, common, in, api, "--invalidThreshold=-2"), is(2));
    assertThat(run(f, common, "--input=topic-without-tenant", api), is(2));
    assertThat(run(f, common, in, "--mgmtUrl=127.0.0.1:9/hri"), is(2));
    assertThat(run(f, common, in, api, "--oauthUrl=http://127.0.0.1:9/oauth", "--clientId=x"), is(2));
    assertThat(run("--folder=" + folder.resolve("nowhere"), common, in, api), is(2));
    assertThat(run(f, common, in, api, "--timeout", "5", "--timeout", "6"), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("should be specified only once"));
    assertThat(printed(), equalTo(""));
    assertThat(run("--help"), is(0));
    assertThat(printed(), startsWith("Usage: IntegratorTool"));
  }

  @Test
  void processesFilesConcurrentlyAndExitsWith1WhenOneFails(KafkaBroker broker, KafkaTestClient kafka)
      throws Exception {
    String tenant = KafkaBroker.uniqueTopicName("t");
    String topic = "ingest." + tenant + ".di.in";
    broker.createTopic(topic, 2);
    Path in = Files.createDirectories(folder.resolve("in"));
    Files.writeString(in.resolve("1-good.ndjson"), "{\"n\":1}\n\r\n{\"n\":2}\r\n{\"n\":3}");
    Files.writeString(in.resolve("2-doc.json"), "{\"resourceType\":\"Bundle\"}");
    Files.writeString(in.resolve("3-bad.ndjson"), "{\"n\":1}\n{\"n\":2}\n");
    Files.writeString(in.resolve(".hidden.ndjson"), "{\"n\":1}\n");

    try (FakeManagementApi api = IntegratorTest.startApi()) {
      api.onSendComplete(b -> b.get("name").asText().startsWith("3-")
          ? Verdict.failed(2, 2, "Failing Batch: " + b.get("id").asText() + ", too many invalid records")
          : Verdict.allValid(b));

      int code = run("--folder", folder.toString(), "--brokers", broker.bootstrapServers(), "--input", topic,
          "--mgmtUrl", api.baseUrl() + "/", "--concurrency=3", "--pollInterval=50", "--timeout=20",
          "--dataType=fhir-bundle");

      assertThat(err.toString(StandardCharsets.UTF_8), equalTo(""));
      assertThat(code, is(1));
      assertThat(api.requests("POST", "/batches").size(), is(3));
      Set<String> dataTypes = api.requests("POST", "/batches").stream().map(r -> r.json().get("dataType").asText())
          .collect(Collectors.toSet());
      assertThat(dataTypes, equalTo(Set.of("fhir-bundle")));
    }
    assertThat(Files.exists(folder.resolve("processed/1-good.ndjson")), is(true));
    assertThat(Files.exists(folder.resolve("processed/1-good.ndjson.status.json")), is(true));
    assertThat(Files.exists(folder.resolve("processed/2-doc.json")), is(true));
    assertThat(Files.exists(folder.resolve("failed/3-bad.ndjson")), is(true));
    assertThat(Files.exists(folder.resolve("failed/3-bad.ndjson.status.json")), is(true));
    assertThat(Files.exists(in.resolve(".hidden.ndjson")), is(true));

    List<String> lines = printed().lines().toList();
    assertThat(lines.get(lines.size() - 1), equalTo("3 file(s): 2 completed, 1 failed"));
    assertThat(lines, hasItem(startsWith("1-good.ndjson: batch ")));
    assertThat(lines.stream().filter(l -> l.contains(" sent 3 records")).count(), is(1L));
    assertThat(lines.stream().filter(l -> l.startsWith("3-bad.ndjson: batch ") && l.contains(" failed: Failing"))
        .count(), is(1L));

    List<String> keys = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : kafka.readExactly(topic, 6, java.time.Duration.ofSeconds(30))) {
      keys.add(KafkaTestClient.utf8(r.key()));
    }
    assertThat(keys, containsInAnyOrder("1-good.ndjson:1", "1-good.ndjson:3", "1-good.ndjson:4", "2-doc.json:1",
        "3-bad.ndjson:1", "3-bad.ndjson:2"));
  }

  @Test
  void exitsWith0WhenEveryFileCompletes(KafkaBroker broker) throws Exception {
    String topic = "ingest." + KafkaBroker.uniqueTopicName("t") + ".di.in";
    broker.createTopic(topic, 1);
    Files.writeString(Files.createDirectories(folder.resolve("in")).resolve("ok.ndjson"), "{\"n\":1}\n");
    try (FakeManagementApi api = IntegratorTest.startApi()) {
      assertThat(run("--folder=" + folder, "--brokers=" + broker.bootstrapServers(), "--input=" + topic,
          "--mgmtUrl=" + api.baseUrl(), "--pollInterval=50"), is(0));
    }
    assertThat(printed().lines().toList().get(4), equalTo("1 file(s): 1 completed, 0 failed"));
  }
}

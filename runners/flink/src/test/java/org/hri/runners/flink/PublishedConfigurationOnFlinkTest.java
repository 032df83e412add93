package org.hri.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.PipelineResult;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.FlinkRest;
import org.hri.testing.KafkaBroker;
import org.hri.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink job as its main method builds it, running on the embedded cluster in Management API mode against a
 * broker's SASL_SSL listener, with both secrets given as file references: what Flink's REST API shows of the
 * job — its configuration, its plan, its details — holds neither secret (and Flink masks the options named
 * like secrets, references included).
 */
class PublishedConfigurationOnFlinkTest {
  private static final String KAFKA_SECRET = "kafka-marker-" + UUID.randomUUID();
  private static final String CLIENT_SECRET = "client-marker-" + UUID.randomUUID();

  @Test
  void flinksRestApiShowsNoSecret(@TempDir Path dir) throws Exception {
    TestCertificates authority = TestCertificates.newAuthority("hri-test-ca");
    try (KafkaBroker broker = KafkaBroker.start(new KafkaBroker.SaslSsl(authority, "token", KAFKA_SECRET, "TLSv1.3"))) {
      TopicNames topics = TopicNames.forInput("ingest.tenant1.published.in");
      broker.createTopics(
          Map.of(topics.input(), 1, topics.notification(), 1, topics.output(), 1, topics.invalid(), 1));
      Path trustStore = authority.writeTrustStore(dir.resolve("truststore.jks"), "trust-password");
      Path password = Files.writeString(dir.resolve("password"), KAFKA_SECRET);
      Path clientSecret = Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET);
      FlinkRest rest = FlinkRest.configure(dir.resolve("flink-conf"));

      PipelineResult job =
          FlinkJob.build(
                  "--flinkMaster=[local]", "--attachedMode=false", "--parallelism=1", rest.confDirArg(),
                  "--brokers=" + broker.secureBootstrapServers(), "--input=" + topics.input(),
                  "--password=file:" + password,
                  "--kafkaProperties=ssl.truststore.location=" + trustStore + ",ssl.truststore.password=trust-password",
                  "--mgmtUrl=http://127.0.0.1:9/hri", "--oauthUrl=http://127.0.0.1:9/oauth",
                  "--clientId=hri-internal", "--clientSecret=file:" + clientSecret, "--audience=hri",
                  "--validator=json")
              .run();
      try {
        String jobId = rest.read(Duration.ofMinutes(2)).jobId();
        String published = rest.get("jobs/" + jobId + "/config") + rest.get("jobs/" + jobId + "/plan")
            + rest.get("jobs/" + jobId);

        assertThat(published, containsString("\"input\":\"" + topics.input() + "\"")); // the options are there...
        assertThat(published, containsString("\"clientSecret\":\"******\"")); // Flink masks secret-like keys
        assertThat(published, containsString("\"password\":\"******\""));
        assertThat(published.contains(KAFKA_SECRET), is(false)); // ...and no secret is anywhere else
        assertThat(published.contains(CLIENT_SECRET), is(false));
      } finally {
        job.cancel();
      }
    }
  }
}

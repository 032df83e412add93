package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.hri.pipeline.kafka.KafkaSettings;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.secrets.KafkaPasswordCallbackHandler;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.KafkaBroker;
import org.hri.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end through a broker's SASL_SSL listener (PLAIN or SCRAM-SHA-512, TLS 1.3 only, a
 * certificate of a CA made for the test, for {@code localhost} only), reading and writing every topic there. The test itself feeds
 * and reads the topics over the broker's PLAINTEXT listener.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaTlsJobTest {
  private static final String API_KEY = "api-key-" + UUID.randomUUID();
  private static final String TRUST_STORE_PASSWORD = "trust-" + UUID.randomUUID();

  private Path dir;
  private KafkaBroker broker;
  private Path trustStore;
  private Path apiKeyFile;

  @BeforeAll
  void startBroker(@TempDir Path directory) throws IOException {
    dir = directory;
    TestCertificates authority = TestCertificates.newAuthority("hri-test-ca");
    broker = KafkaBroker.start(new KafkaBroker.SaslSsl(authority, "token", API_KEY, "TLSv1.3"));
    trustStore = authority.writeTrustStore(dir.resolve("truststore.jks"), TRUST_STORE_PASSWORD);
    apiKeyFile = Files.writeString(dir.resolve("api-key"), API_KEY);
  }

  @AfterAll
  void stopBroker() {
    broker.close();
  }

  private String trustStoreProperties() {
    return "ssl.truststore.location=" + trustStore + ",ssl.truststore.password=" + TRUST_STORE_PASSWORD;
  }

  @Test
  void aBatchGoesThroughTheTlsListenerTheEventStreamsWay() {
    try (RunningJob job = RunningJob.start(
        broker, ValidateRecords.using(new JsonBodyValidator()), RunningJob.DIRECT_RUNNER,
        "--brokers=" + broker.secureBootstrapServers(), "--password=file:" + apiKeyFile,
        "--kafkaProperties=auto.offset.reset=earliest," + trustStoreProperties(),
        "--standalone", "--batchCompletionDelay=1000")) {
      assertABatchCompletes(job, "event-streams");
    }
  }

  @Test
  void aKafkaConfigFileCarriesValuesWithCommasAndItsOwnSecurity() throws IOException {
    assertABatchCompletesWithConfigFile("plain",
        "sasl.mechanism=PLAIN",
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\""
            + " password=\"" + API_KEY + "\";",
        "ssl.enabled.protocols=TLSv1.2,TLSv1.3");
  }

  @Test
  void aScramUserFromAKafkaConfigFileWithThePasswordInAFile() throws IOException {
    String scramPassword = "scram-" + UUID.randomUUID();
    broker.addScramUser("hri-job", scramPassword);
    Path passwordFile = Files.writeString(dir.resolve("scram-password"), scramPassword + "\n");
    assertABatchCompletesWithConfigFile("scram",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.client.callback.handler.class=" + KafkaPasswordCallbackHandler.class.getName(),
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"hri-job\""
            + " passwordFrom=\"file:" + passwordFile + "\";");
  }

  /** The job with only a {@code --kafkaConfigFile} of SASL_SSL, the test's trust store and {@code lines}. */
  private void assertABatchCompletesWithConfigFile(String name, String... lines) throws IOException {
    List<String> properties = new ArrayList<>(List.of(
        "security.protocol=SASL_SSL",
        "ssl.truststore.location=" + trustStore,
        "ssl.truststore.password=" + TRUST_STORE_PASSWORD));
    properties.addAll(List.of(lines));
    Path config = Files.write(dir.resolve(name + ".properties"), properties);
    try (RunningJob job = RunningJob.start(
        broker, ValidateRecords.using(new JsonBodyValidator()), RunningJob.DIRECT_RUNNER,
        "--brokers=" + broker.secureBootstrapServers(), "--kafkaConfigFile=" + config,
        "--kafkaProperties=auto.offset.reset=earliest", "--standalone", "--batchCompletionDelay=1000")) {
      assertABatchCompletes(job, name);
    }
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
    String byAddress = broker.secureBootstrapServers().replace("localhost", "127.0.0.1");
    KafkaSettings settings =
        new KafkaSettings(byAddress, "file:" + apiKeyFile, TopicNames.forInput("ingest.t.tls.in"), Map.of(
            "ssl.truststore.location", trustStore.toString(), "ssl.truststore.password", TRUST_STORE_PASSWORD));
    try (Admin admin = Admin.create(settings.admin())) {
      ExecutionException refused =
          assertThrows(
              ExecutionException.class, () -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS));
      assertThat(refused.getCause(), instanceOf(SslAuthenticationException.class));
    }
  }

  /** Five valid records and one invalid: all routed over TLS, and the verdict written there too. */
  static void assertABatchCompletes(RunningJob job, String name) {
    BatchNotification started = Batches.started(Batches.newId(name), job.topics.input(), -1);
    job.notify(started);
    for (int i = 0; i < 5; i++) {
      job.send(started.id(), "key-" + i, "{\"n\":" + i + "}");
    }
    job.send(started.id(), "bad", "not json");
    job.notify(Batches.sendCompleted(started, 6));

    job.awaitExactly(job.topics.output(), started.id(), 5);
    assertThat(job.awaitInvalid(started.id(), 1).size(), is(1));
    BatchNotification verdict = job.awaitVerdict(started.id());
    assertThat(verdict.status(), is(BatchStatus.COMPLETED));
    assertThat(List.of(verdict.actualRecordCount(), verdict.invalidRecordCount()), is(List.of(6L, 1L)));
  }
}

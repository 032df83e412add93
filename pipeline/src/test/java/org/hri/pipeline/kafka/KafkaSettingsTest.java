package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.pipeline.topics.TopicNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka client properties, exactly as the original set them. */
class KafkaSettingsTest {
  private static final TopicNames TOPICS = TopicNames.forInput("ingest.22.da3.in");
  private static final String BROKERS = "broker1:9093,broker2:9093";
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\" password=\"s3cret\";";

  private static Map<String, Object> security() {
    Map<String, Object> expected = new HashMap<>();
    expected.put("sasl.jaas.config", JAAS);
    expected.put("security.protocol", "SASL_SSL");
    expected.put("sasl.mechanism", "PLAIN");
    expected.put("ssl.protocol", "TLSv1.3");
    expected.put("ssl.enabled.protocols", "TLSv1.2,TLSv1.3");
    expected.put("ssl.endpoint.identification.algorithm", "HTTPS");
    return expected;
  }

  private static Map<String, Object> producerSpecific() {
    return Map.of(
        "compression.type", "zstd",
        "transaction.timeout.ms", 900_000,
        "batch.size", 16_384,
        "max.request.size", 10_485_760);
  }

  @Test
  void groupIdNamesInputAndOutputTopics() {
    KafkaSettings settings = new KafkaSettings(BROKERS, null, TOPICS, Map.of());
    assertThat(settings.groupId(), is("hri-validation-ingest.22.da3.in-ingest.22.da3.out"));
    assertThat(settings.brokers(), is(BROKERS));
    assertThat(settings.topics(), is(TOPICS));
  }

  @Test
  void aPasswordFileStaysOutOfTheConfigAndTheClientReadsItAtEachAuthentication(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("api-key"), "s3cret\n");
    KafkaSettings settings = new KafkaSettings(BROKERS, "file:" + file, TOPICS, Map.of());
    Map<String, Object> consumer = settings.consumer();

    assertThat(consumer.toString().contains("s3cret"), is(false));
    assertThat(consumer.get("sasl.client.callback.handler.class"),
        is("org.hri.pipeline.secrets.KafkaPasswordCallbackHandler"));
    assertThat(consumer.get("sasl.jaas.config"),
        is("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\" passwordFrom=\""
            + "file:" + file.toAbsolutePath() + "\";"));
  }

  @Test
  void aLoginOfTheUsersOwnDropsTheJobsPasswordHandler() {
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
    KafkaSettings settings = new KafkaSettings(BROKERS, "env:KAFKA_PASSWORD", TOPICS, Map.of("sasl.jaas.config", scram));

    assertThat(settings.producer().get("sasl.jaas.config"), is(scram));
    assertThat(settings.producer().containsKey("sasl.client.callback.handler.class"), is(false));
    assertThat(settings.admin().containsKey("sasl.client.callback.handler.class"), is(false));
  }

  @Test
  void aConfigFileGivesEveryKeyAsAVariableKafkaResolvesFromTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
            + " password=\"scram-secret\";",
        "ssl.enabled.protocols=TLSv1.2,TLSv1.3", ""));
    Path password = Files.writeString(dir.resolve("api-key"), "plain-secret\n");
    KafkaSettings settings =
        new KafkaSettings(BROKERS, "file:" + password, TOPICS, KafkaConfigFile.variables(file.toString()));
    Map<String, Object> producer = settings.producer();

    assertThat(producer.toString().contains("scram-secret"), is(false));
    assertThat(producer.toString().contains("plain-secret"), is(false));
    assertThat(producer.get("config.providers"), is("hri-properties"));
    Map<String, Object> resolved = new HashMap<>(producer);
    resolved.put("key.serializer", ByteArraySerializer.class);
    resolved.put("value.serializer", ByteArraySerializer.class);
    ProducerConfig config = new ProducerConfig(resolved);
    assertThat(config.getList("ssl.enabled.protocols"), is(List.of("TLSv1.2", "TLSv1.3")));
    assertThat(config.getString("sasl.mechanism"), is("SCRAM-SHA-512"));
    assertThat(config.getPassword("sasl.jaas.config").value(),
        is("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"scram-secret\";"));
  }

  @Test
  void anUnreadableConfigFileIsOneLineNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KafkaConfigFile.variables("/nonexistent/client.properties"));
    assertThat(e.getMessage(), is("--kafkaConfigFile: cannot read /nonexistent/client.properties (NoSuchFileException)"));
  }

  @Test
  void consumerWithPassword() {
    KafkaSettings settings = new KafkaSettings(BROKERS, "s3cret", TOPICS, Map.of());
    Map<String, Object> expected = security();
    expected.put("group.id", "hri-validation-ingest.22.da3.in-ingest.22.da3.out");
    expected.put("max.poll.records", 5_000);
    expected.put("auto.offset.reset", "latest");
    assertThat(settings.consumer(), is(expected));
  }

  @Test
  void producerWithPassword() {
    KafkaSettings settings = new KafkaSettings(BROKERS, "s3cret", TOPICS, Map.of());
    Map<String, Object> expected = security();
    expected.putAll(producerSpecific());
    assertThat(settings.producer(), is(expected));
  }

  @Test
  void jaasConfigUsesUserNameToken() {
    KafkaSettings settings = new KafkaSettings(BROKERS, "Ab-3_xYz9", TOPICS, Map.of());
    String expected =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\" password=\"Ab-3_xYz9\";";
    assertThat(settings.consumer().get("sasl.jaas.config"), is(expected));
    assertThat(settings.producer().get("sasl.jaas.config"), is(expected));
  }

  @Test
  void consumerWithoutPassword() {
    KafkaSettings settings = new KafkaSettings(BROKERS, null, TOPICS, Map.of());
    // No security settings and no auto.offset.reset: only with a password.
    assertThat(settings.consumer(),
        is(Map.of("group.id", "hri-validation-ingest.22.da3.in-ingest.22.da3.out", "max.poll.records", 5_000)));
  }

  @Test
  void producerWithoutPassword() {
    KafkaSettings settings = new KafkaSettings(BROKERS, null, TOPICS, Map.of());
    assertThat(settings.producer(), is(producerSpecific()));
  }

  @Test
  void userExtrasOverrideAndAddToBoth() {
    Map<String, String> extra =
        Map.of("auto.offset.reset", "earliest", "batch.size", "32768", "security.protocol", "SSL", "client.rack", "r1");
    KafkaSettings settings = new KafkaSettings(BROKERS, "s3cret", TOPICS, extra);

    Map<String, Object> consumer = security();
    consumer.put("group.id", "hri-validation-ingest.22.da3.in-ingest.22.da3.out");
    consumer.put("max.poll.records", 5_000);
    consumer.putAll(extra);
    assertThat(settings.consumer(), is(consumer));
    assertThat(settings.consumer().get("auto.offset.reset"), is("earliest"));

    Map<String, Object> producer = security();
    producer.putAll(producerSpecific());
    producer.putAll(extra);
    assertThat(settings.producer(), is(producer));
    assertThat(settings.producer().get("batch.size"), is("32768"));
    assertThat(settings.producer().get("security.protocol"), is("SSL"));
  }

  @Test
  void userCanOverrideTheGroupId() {
    KafkaSettings settings = new KafkaSettings(BROKERS, null, TOPICS, Map.of("group.id", "mine"));
    assertThat(settings.consumer(), is(Map.of("group.id", "mine", "max.poll.records", 5_000)));
  }

  @Test
  void returnedMapsAreFreshCopies() {
    Map<String, String> extra = new HashMap<>(Map.of("client.id", "a"));
    KafkaSettings settings = new KafkaSettings(BROKERS, null, TOPICS, extra);
    extra.put("client.id", "changed");
    settings.consumer().put("group.id", "changed");
    assertThat(settings.consumer().get("client.id"), is("a"));
    assertThat(settings.consumer().get("group.id"), is("hri-validation-ingest.22.da3.in-ingest.22.da3.out"));
  }

  @Test
  void toStringHidesThePassword() {
    KafkaSettings settings = new KafkaSettings(BROKERS, "s3cret", TOPICS, Map.of());
    assertThat(settings.toString(), not(containsString("s3cret")));
    assertThat(settings.toString(), is("KafkaSettings[broker1:9093,broker2:9093, ingest.22.da3.in, SASL]"));
    assertThat(
        new KafkaSettings(BROKERS, null, TOPICS, Map.of()).toString(),
        is("KafkaSettings[broker1:9093,broker2:9093, ingest.22.da3.in]"));
  }

  @Test
  void isSerializable() {
    KafkaSettings settings = new KafkaSettings(BROKERS, "s3cret", TOPICS, Map.of("client.rack", "r1"));
    KafkaSettings copy = SerializableUtils.clone(settings);
    assertThat(copy.consumer(), is(settings.consumer()));
    assertThat(copy.producer(), is(settings.producer()));
  }
}

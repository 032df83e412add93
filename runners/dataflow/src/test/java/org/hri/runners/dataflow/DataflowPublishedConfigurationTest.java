package org.hri.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.dataflow.model.DataflowPackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.beam.runners.dataflow.util.PackageUtil;
import org.apache.beam.runners.dataflow.util.Stager;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.StringUtils;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyInputStream;

/**
 * With secrets given as references, the job Dataflow would receive holds none: the job specification (options,
 * steps and their display data, KafkaIO's consumer and producer configs included) and the pipeline it stages
 * (the serialized transforms). Built as a template written to a local file, so nothing is submitted; the
 * launcher does reach Kafka (KafkaIO lists the topics' partitions when the job is built), here a broker with
 * the Event Streams style SASL_SSL listener whose API key is the marker.
 */
class DataflowPublishedConfigurationTest {
  private static final String KAFKA_SECRET = "kafka-marker-2d7e";
  private static final String CLIENT_SECRET = "client-marker-c41f";
  /** The start of Snappy's stream header ({@code \\x82SNAPPY}) in base64. */
  private static final String BASE64_SNAPPY = "glNOQVBQWQ";
  /** The start of a Java serialization stream, read as Latin-1. */
  private static final String JAVA_SERIALIZATION = "\u00ac\u00ed\u0000\u0005";

  @Test
  void theJobDataflowWouldReceiveHoldsNoSecret(@TempDir Path dir) throws Exception {
    TestCertificates authority = TestCertificates.newAuthority("hri-test-ca");
    try (KafkaBroker broker = KafkaBroker.start(new KafkaBroker.SaslSsl(authority, "token", KAFKA_SECRET, "TLSv1.3"))) {
      TopicNames topics = TopicNames.forInput("ingest.tenant1.integrator1.in");
      broker.createTopics(1, topics.input(), topics.notification());
      Path trustStore = authority.writeTrustStore(dir.resolve("truststore.jks"), "trust-store-password");
      Path password = Files.writeString(dir.resolve("password"), KAFKA_SECRET + "\n");
      Path clientSecret = Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET + "\n");
      Path template = dir.resolve("job.json");
      List<String> args = new ArrayList<>(List.of(DataflowJobTest.ARGS));
      args.removeIf(arg -> arg.startsWith("--password=") || arg.startsWith("--clientSecret=")
          || arg.startsWith("--brokers=") || arg.startsWith("--input="));
      args.addAll(List.of("--brokers=" + broker.secureBootstrapServers(), "--input=" + topics.input(),
          "--password=file:" + password, "--clientSecret=file:" + clientSecret,
          "--kafkaProperties=ssl.truststore.location=" + trustStore + ",ssl.truststore.password=trust-store-password",
          "--exactlyOnce=true", "--templateLocation=" + template,
          "--stagerClass=" + NoStaging.class.getName(), "--filesToStage=" + password));

      NoStaging.STAGED.clear();
      DataflowJob.build(args.toArray(String[]::new)).run();

      assertPublishesNoSecret(Files.readString(template), clientSecret);
    }
  }

  private static void assertPublishesNoSecret(String job, Path clientSecret) throws IOException {
    StringBuilder everything = new StringBuilder(job).append(withSerializedObjects(new ObjectMapper().readTree(job)));
    StringBuilder stagedObjects = new StringBuilder();
    for (byte[] staged : NoStaging.STAGED) { // Runner v2 stages the pipeline, with its transforms, as a file
      everything.append(new String(staged, StandardCharsets.ISO_8859_1));
      stagedObjects.append(serializedObjectsIn(staged));
    }
    assertThat(stagedObjects.toString(), containsString(JAVA_SERIALIZATION)); // the transforms were read
    everything.append(stagedObjects);
    assertThat(everything.toString(), containsString("sasl.jaas.config")); // KafkaIO's configs are there...
    assertThat(everything.toString(), containsString("passwordFrom")); // ...with the Kafka password as a reference
    assertThat(everything.toString(), containsString("file:" + clientSecret));
    assertThat(everything.toString(), not(containsString(KAFKA_SECRET)));
    assertThat(everything.toString(), not(containsString(CLIENT_SECRET)));
  }

  /**
   * The Java-serialized objects in the job (sources, DoFns, coders), decompressed: Beam writes them Snappy
   * compressed, as URL-style escaped text or base64. Serialized strings stay readable in Latin-1.
   */
  private static String withSerializedObjects(JsonNode node) throws IOException {
    StringBuilder decoded = new StringBuilder();
    if (node.isTextual()) {
      String text = node.asText();
      byte[] compressed = text.startsWith("%82SNAPPY") ? StringUtils.jsonStringToByteArray(text)
          : text.startsWith(BASE64_SNAPPY) ? Base64.getDecoder().decode(text) : null;
      if (compressed != null) {
        try (InputStream in = new SnappyInputStream(new ByteArrayInputStream(compressed))) {
          decoded.append('\n').append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
      }
    }
    for (JsonNode child : node) {
      decoded.append(withSerializedObjects(child));
    }
    return decoded.toString();
  }

  /**
   * The Snappy streams (Java-serialized objects) in a binary file, decompressed: each is its header, then
   * chunks of a length and compressed bytes, up to the first that is not one.
   */
  private static String serializedObjectsIn(byte[] file) throws IOException {
    StringBuilder decoded = new StringBuilder();
    byte[] header = Base64.getDecoder().decode(BASE64_SNAPPY + "A="); // \x82SNAPPY\0
    for (int at = indexOf(file, header, 0); at >= 0; at = indexOf(file, header, at + 1)) {
      int chunk = at + 16; // the header, the format's version and its compatible version
      while (chunk + 4 <= file.length) {
        int length = ByteBuffer.wrap(file, chunk, 4).getInt();
        if (length <= 0 || length > file.length - chunk - 4
            || !Snappy.isValidCompressedBuffer(file, chunk + 4, length)) {
          break;
        }
        byte[] plain = new byte[Snappy.uncompressedLength(file, chunk + 4, length)];
        Snappy.uncompress(file, chunk + 4, length, plain, 0);
        decoded.append('\n').append(new String(plain, StandardCharsets.ISO_8859_1));
        chunk += 4 + length;
      }
    }
    return decoded.toString();
  }

  private static int indexOf(byte[] bytes, byte[] part, int from) {
    for (int i = from; i <= bytes.length - part.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Stages nothing: the job is only written to a file. Keeps the files' bytes, for the test to read. */
  public static final class NoStaging implements Stager {
    static final List<byte[]> STAGED = new ArrayList<>();

    public static NoStaging fromOptions(PipelineOptions options) {
      return new NoStaging();
    }

    @Override
    public List<DataflowPackage> stageFiles(List<PackageUtil.StagedFile> files) {
      return List.of();
    }

    @Override
    public DataflowPackage stageToFile(byte[] bytes, String name) {
      STAGED.add(bytes);
      return new DataflowPackage().setName(name).setLocation("gs://hri-test-bucket/staging/" + name);
    }
  }
}

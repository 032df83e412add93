package org.hri.pipeline.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A Kafka client configuration file ({@code --kafkaConfigFile}, the standard {@code .properties} format) for
 * what the Event Streams settings do not cover — SCRAM, mutual TLS, OAUTHBEARER, values with commas. Each of
 * its keys becomes a variable that Kafka's {@code FileConfigProvider} reads from the file when a client starts:
 * its values, passwords and JAAS configurations among them, never enter the job's configuration, which
 * runners publish. The file must be readable where the job's Kafka clients run.
 */
public final class KafkaConfigFile {
  private static final String PROVIDER = "hri-properties";

  private KafkaConfigFile() {}

  /**
   * {@code key -> ${hri-properties:<file>:key}} for each key of the file, and the provider that resolves them.
   *
   * @throws IllegalArgumentException naming the option when the file cannot be read
   */
  public static Map<String, String> variables(String file) {
    Path path = Path.of(file).toAbsolutePath();
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--kafkaConfigFile: cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> variables = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("config.providers")) {
        throw new IllegalArgumentException("--kafkaConfigFile: " + key + " cannot be set in the file");
      }
      variables.put(key, "${" + PROVIDER + ":" + path + ":" + key + "}");
    }
    variables.put(KafkaSettings.CONFIG_PROVIDERS, PROVIDER);
    variables.put(
        KafkaSettings.CONFIG_PROVIDERS + "." + PROVIDER + ".class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    return variables;
  }
}

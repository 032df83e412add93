package org.hri.local.tools;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka client properties shared by the command-line tools: the brokers, SASL PLAIN over TLS when an Event
 * Streams password (API key, user {@code token}) is given, the same way the validation job does it, and extra
 * {@code key=value} properties that override everything else.
 */
public final class KafkaClientSettings {
  private KafkaClientSettings() {}

  /** Base client properties; {@code password} may be null (plain connection). */
  public static Map<String, Object> base(String brokers, String password, Map<String, String> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", brokers);
    if (password != null) {
      config.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\" password=\""
              + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
      config.put("security.protocol", "SASL_SSL");
      config.put("sasl.mechanism", "PLAIN");
      config.put("ssl.protocol", "TLSv1.2");
      config.put("ssl.enabled.protocols", "TLSv1.2");
      config.put("ssl.endpoint.identification.algorithm", "HTTPS");
    }
    config.putAll(extra);
    return config;
  }

  /**
   * Parses {@code key=value,key=value} (the format of the job's {@code --kafkaProperties}); an empty or null
   * string gives no properties.
   *
   * @throws IllegalArgumentException for an entry without {@code =} or with an empty key
   */
  public static Map<String, String> parseProperties(String spec) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return properties;
    }
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Kafka properties must look like key=value,key=value; bad entry '" + entry + "'");
      }
      properties.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return properties;
  }
}

package org.hri.pipeline.kafka;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.hri.pipeline.secrets.KafkaPasswordCallbackHandler;
import org.hri.pipeline.secrets.Secret;
import org.hri.pipeline.topics.TopicNames;

/**
 * Kafka client properties of the job, as the original set them: SASL PLAIN over TLS when a
 * password is given (Event Streams style, user name {@code token}), zstd-compressed producers with the
 * Event Streams size limits, one consumer group per stream. Extra properties given by the user win.
 */
public final class KafkaSettings implements Serializable {
  private final String brokers;
  private final String password;
  private final TopicNames topics;
  private final Map<String, String> extra;

  /** Kafka's list of config providers: each source of variables adds its own. */
  static final String CONFIG_PROVIDERS = "config.providers";

  private static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
  private static final String SASL_CALLBACK_HANDLER = "sasl.client.callback.handler.class";

  public KafkaSettings(String brokers, String password, TopicNames topics, Map<String, String> extra) {
    this.brokers = brokers;
    this.password = password;
    this.topics = topics;
    this.extra = Map.copyOf(extra);
  }

  public String brokers() {
    return brokers;
  }

  public TopicNames topics() {
    return topics;
  }

  /** Consumer group of the stream: {@code hri-validation-<input>-<output>}. */
  public String groupId() {
    return "hri-validation-" + topics.input() + "-" + topics.output();
  }

  public Map<String, Object> consumer() {
    Map<String, Object> config = security();
    config.put("group.id", groupId());
    // KafkaIO's reader hands the poll thread's batches over one at a time and, on Flink, idles 50 ms when it
    // misses one: bigger polls make fewer hand-overs (measured in docs/performance.md). Fetch sizes still cap
    // the bytes of one poll.
    config.put("max.poll.records", 5_000);
    if (password != null) {
      config.put("auto.offset.reset", "latest");
    }
    return withExtra(config);
  }

  public Map<String, Object> producer() {
    Map<String, Object> config = security();
    config.put("compression.type", "zstd");
    config.put("transaction.timeout.ms", 900_000);
    // A soft cap that keeps requests under the 1 MB message limit of Event Streams (KAFKA-4169).
    config.put("batch.size", 16_384);
    config.put("max.request.size", 10_485_760);
    return withExtra(config);
  }

  /** The producer settings with the brokers: the exactly-once writer creates its own producers. */
  public Map<String, Object> transactionalProducer() {
    Map<String, Object> config = producer();
    config.putIfAbsent("bootstrap.servers", brokers);
    return config;
  }

  /**
   * An admin client's settings: the brokers, the security settings and those extra properties an admin
   * client knows (it warns of every other one).
   */
  public Map<String, Object> admin() {
    Map<String, Object> config = security();
    config.put("bootstrap.servers", brokers);
    return withExtra(config, key -> AdminClientConfig.configNames().contains(key) || key.startsWith(CONFIG_PROVIDERS));
  }

  /** The extra properties win, except that config providers add up. */
  private Map<String, Object> withExtra(Map<String, Object> config) {
    return withExtra(config, key -> true);
  }

  private Map<String, Object> withExtra(Map<String, Object> config, Predicate<String> applies) {
    extra.forEach(
        (key, value) -> {
          if (applies.test(key)) {
            config.merge(key, value, (ours, theirs) -> key.equals(CONFIG_PROVIDERS) ? ours + "," + theirs : theirs);
          }
        });
    if (extra.containsKey(SASL_JAAS_CONFIG) && !extra.containsKey(SASL_CALLBACK_HANDLER)) {
      config.remove(SASL_CALLBACK_HANDLER); // the user's own login, which knows nothing of ours
    }
    return config;
  }

  private Map<String, Object> security() {
    Map<String, Object> config = new HashMap<>();
    if (password != null) {
      Secret secret = Secret.of("--password", password);
      if (secret.isReference()) {
        // The client reads the password at each authentication: the secret never enters the config, which
        // KafkaIO publishes as display data, and a rotated file is used without a restart.
        config.put(SASL_CALLBACK_HANDLER, KafkaPasswordCallbackHandler.class.getName());
        config.put(SASL_JAAS_CONFIG, plainLogin(KafkaPasswordCallbackHandler.PASSWORD_FROM, secret.reference()));
      } else {
        config.put(SASL_JAAS_CONFIG, plainLogin("password", password));
      }
      config.put("security.protocol", "SASL_SSL");
      config.put("sasl.mechanism", "PLAIN");
      // The original pinned TLS 1.2; 1.3 is preferred where the broker offers it.
      config.put("ssl.protocol", "TLSv1.3");
      config.put("ssl.enabled.protocols", "TLSv1.2,TLSv1.3");
      config.put("ssl.endpoint.identification.algorithm", "HTTPS");
    }
    return config;
  }

  private static String plainLogin(String passwordOption, String value) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"token\" " + passwordOption
        + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
  }

  @Override
  public String toString() {
    return "KafkaSettings[" + brokers + ", " + topics.input() + (password == null ? "" : ", SASL") + "]";
  }
}

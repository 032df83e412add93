package org.hri.pipeline;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hri.pipeline.kafka.KafkaConfigFile;
import org.hri.pipeline.secrets.Secret;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;

/** Checks the job's options before anything starts; each problem is one line that names the option. */
public final class HriOptionsCheck {
  private HriOptionsCheck() {}

  /** Throws {@link IllegalArgumentException} with a one-line message for the first problem found. */
  public static void check(HriPipelineOptions options) {
    require(options.getBrokers(), "--brokers");
    require(options.getInput(), "--input");
    TopicNames topics;
    try {
      topics = TopicNames.forInput(options.getInput());
    } catch (TopicNamingException e) {
      throw new IllegalArgumentException("--input: " + e.getMessage());
    }
    deadLetterTopic(options.getDeadLetterTopic(), topics);
    kafkaProperties(options);
    if (options.getPassword() != null) {
      Secret.of("--password", options.getPassword()).reveal();
    }
    checkMode(options);
    positive(options.getBatchCompletionDelay(), "--batchCompletionDelay", true);
    positive(options.getMgmtInitialBackoff(), "--mgmtInitialBackoff", false);
    positive(options.getMgmtMaxBackoff(), "--mgmtMaxBackoff", false);
    positive(options.getMgmtRetryTimeout(), "--mgmtRetryTimeout", false);
    positive(options.getUnknownBatchTimeout(), "--unknownBatchTimeout", true);
    positive(options.getFinishedBatchRetention(), "--finishedBatchRetention", true);
    positive(options.getBatchStateTtl(), "--batchStateTtl", false);
    stateOutlivesWaits(options);
    if (options.getExactlyOnceShards() < 1) {
      throw new IllegalArgumentException(
          "--exactlyOnceShards: must be at least 1 but was " + options.getExactlyOnceShards());
    }
  }

  /**
   * The Kafka properties the options add to the job's own: variables for the keys of {@code --kafkaConfigFile},
   * then the {@code --kafkaProperties} entries (named by position in errors, as values may be secret).
   */
  public static Map<String, String> kafkaProperties(HriPipelineOptions options) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (options.getKafkaConfigFile() != null) {
      properties.putAll(KafkaConfigFile.variables(options.getKafkaConfigFile()));
    }
    List<String> entries = options.getKafkaProperties() == null ? List.of() : options.getKafkaProperties();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "--kafkaProperties: entry " + (i + 1) + " is not key=value");
      }
      properties.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
    }
    return properties;
  }

  private static void deadLetterTopic(String topic, TopicNames topics) {
    if (topic == null) {
      return;
    }
    if (topic.isBlank()) {
      throw new IllegalArgumentException("--deadLetterTopic: must not be blank");
    }
    if (List.of(topics.input(), topics.notification(), topics.output(), topics.invalid()).contains(topic)) {
      throw new IllegalArgumentException("--deadLetterTopic: must not be one of the stream's own topics: " + topic);
    }
  }

  private static void checkMode(HriPipelineOptions options) {
    Map<String, String> api = new LinkedHashMap<>();
    api.put("--mgmtUrl", options.getMgmtUrl());
    api.put("--clientId", options.getClientId());
    api.put("--clientSecret", options.getClientSecret());
    api.put("--audience", options.getAudience());
    api.put("--oauthUrl", options.getOauthUrl());
    List<String> given = new ArrayList<>();
    api.forEach((name, value) -> {
      if (value != null && !value.isBlank()) {
        given.add(name);
      }
    });
    if (options.isStandalone()) {
      if (!given.isEmpty()) {
        throw new IllegalArgumentException(
            "--standalone cannot be combined with the Management API options, but " + given.get(0) + " was given");
      }
      return;
    }
    if (given.isEmpty()) {
      throw new IllegalArgumentException(
          "Missing required option: either --standalone or --mgmtUrl, --clientId, --clientSecret, --audience"
              + " and --oauthUrl");
    }
    api.forEach((name, value) -> require(value, name));
    url(options.getMgmtUrl(), "--mgmtUrl");
    url(options.getOauthUrl(), "--oauthUrl");
    Secret.of("--clientSecret", options.getClientSecret()).reveal(); // a reference that cannot be read fails here
  }

  /**
   * A batch's state must outlive every wait on it — the completion delay, the hold of records of unknown
   * batches, the Management API retries — or records and verdicts would expire mid-wait.
   */
  private static void stateOutlivesWaits(HriPipelineOptions options) {
    Map<String, Long> waits = new LinkedHashMap<>();
    waits.put("--batchCompletionDelay", options.getBatchCompletionDelay());
    if (options.isStandalone()) {
      waits.put("--unknownBatchTimeout", options.getUnknownBatchTimeout());
    } else {
      waits.put("--mgmtRetryTimeout", options.getMgmtRetryTimeout());
    }
    waits.forEach((option, millis) -> {
      if (millis >= options.getBatchStateTtl()) {
        throw new IllegalArgumentException(
            "--batchStateTtl: must be longer than " + option + " (" + millis + " ms) but was "
                + options.getBatchStateTtl());
      }
    });
  }

  private static void require(String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing required option: " + option);
    }
  }

  private static void url(String value, String option) {
    URI uri;
    try {
      uri = URI.create(value);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": not an http(s) URL: " + value);
    }
    // The client secret and the bearer tokens must never cross a network in clear.
    if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          option + ": http:// is allowed only for a loopback host; use https:// for " + uri.getHost());
    }
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name here would let DNS decide.
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(bare).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void positive(Long value, String option, boolean zeroAllowed) {
    if (value == null || value < 0 || (!zeroAllowed && value == 0)) {
      throw new IllegalArgumentException(
          option + ": must be a number of milliseconds " + (zeroAllowed ? ">= 0" : "> 0") + " but was " + value);
    }
  }
}

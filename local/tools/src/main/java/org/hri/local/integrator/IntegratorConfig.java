package org.hri.local.integrator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link Integrator}.
 *
 * @param folder the working folder: files are taken from {@code in/} and moved to {@code processed/} or
 *     {@code failed/}
 * @param inputTopic the stream's input topic; every batch is created for it and every record is sent to it
 * @param dataType the batches' {@code dataType}
 * @param invalidThreshold the batches' {@code invalidThreshold} (-1: none)
 * @param timeout how long to wait, after sendComplete, for a batch's final status
 * @param concurrency how many files are processed at the same time (at least 1)
 * @param pollInterval how often the batch status is fetched while waiting
 * @param producerConfig Kafka producer properties (at least {@code bootstrap.servers}); the integrator adds
 *     serializers and its delivery settings unless they are given here
 */
public record IntegratorConfig(
    Path folder,
    String inputTopic,
    String dataType,
    long invalidThreshold,
    Duration timeout,
    int concurrency,
    Duration pollInterval,
    Map<String, Object> producerConfig) {

  public static final String DEFAULT_DATA_TYPE = "fhir";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  /** The producer's {@code max.request.size}: the 1 MB message limit of Event Streams (spec §1.4). */
  public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

  public IntegratorConfig {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(inputTopic, "inputTopic");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(pollInterval, "pollInterval");
    producerConfig = Map.copyOf(producerConfig);
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    if (invalidThreshold < -1) {
      throw new IllegalArgumentException("invalidThreshold must be -1 or more");
    }
  }

  /** Settings with the defaults: data type fhir, no threshold, 600 s timeout, one file at a time, 1 s polls. */
  public static IntegratorConfig of(Path folder, String brokers, String inputTopic) {
    return new IntegratorConfig(folder, inputTopic, DEFAULT_DATA_TYPE, -1, DEFAULT_TIMEOUT, 1,
        DEFAULT_POLL_INTERVAL, Map.of("bootstrap.servers", brokers));
  }

  public IntegratorConfig withDataType(String value) {
    return new IntegratorConfig(folder, inputTopic, value, invalidThreshold, timeout, concurrency, pollInterval,
        producerConfig);
  }

  public IntegratorConfig withInvalidThreshold(long value) {
    return new IntegratorConfig(folder, inputTopic, dataType, value, timeout, concurrency, pollInterval,
        producerConfig);
  }

  public IntegratorConfig withTimeout(Duration value) {
    return new IntegratorConfig(folder, inputTopic, dataType, invalidThreshold, value, concurrency, pollInterval,
        producerConfig);
  }

  public IntegratorConfig withConcurrency(int value) {
    return new IntegratorConfig(folder, inputTopic, dataType, invalidThreshold, timeout, value, pollInterval,
        producerConfig);
  }

  public IntegratorConfig withPollInterval(Duration value) {
    return new IntegratorConfig(folder, inputTopic, dataType, invalidThreshold, timeout, concurrency, value,
        producerConfig);
  }

  public IntegratorConfig withProducerConfig(Map<String, Object> value) {
    return new IntegratorConfig(folder, inputTopic, dataType, invalidThreshold, timeout, concurrency, pollInterval,
        value);
  }

  public Path inFolder() {
    return folder.resolve("in");
  }

  public Path processedFolder() {
    return folder.resolve("processed");
  }

  public Path failedFolder() {
    return folder.resolve("failed");
  }
}

package org.hri.bench;

/**
 * One throughput run: the job (or a baseline: the Kafka copy, the hand-written Flink job) over one data set,
 * with the verdict latencies measured afterwards on the same job, and for a Flink run its failed checkpoints and
 * restarts (null otherwise).
 */
record Measurement(
    String runner,
    String validator,
    String data,
    long records,
    long bytes,
    double seconds,
    double cores,
    long peakRssMib,
    Latency latency,
    FlinkHealth flink) {

  /** Verdict latency beyond the completion delay, over the latency batches; null for the baseline. */
  record Latency(long medianMs, long maxMs, int batches) {}

  /** The runner of the hand-written Flink job (Flink's KafkaSource and exactly-once KafkaSink). */
  static final String FLINK_COPY = "flink-copy";

  /** The Kafka copy, which the other runs' {@code ratio to Kafka} is taken against. */
  boolean isBaseline() {
    return "kafka".equals(runner);
  }

  boolean isFlinkCopy() {
    return FLINK_COPY.equals(runner);
  }

  double recordsPerSecond() {
    return records / seconds;
  }

  double mbPerSecond() {
    return bytes / seconds / 1_000_000.0;
  }
}

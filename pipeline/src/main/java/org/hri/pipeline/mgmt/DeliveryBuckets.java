package org.hri.pipeline.mgmt;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Verdict delivery times as cumulative counters, the way Prometheus histograms count: {@code
 * verdicts-delivered-within-1s} counts every delivery of at most one second, and so on; {@code
 * verdicts-delivered} counts them all.
 */
final class DeliveryBuckets implements Serializable {
  static final List<Duration> BOUNDS =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10));

  private final Counter all;
  private final List<Counter> within;

  DeliveryBuckets(String namespace) {
    all = Metrics.counter(namespace, "verdicts-delivered");
    within = BOUNDS.stream().map(bound -> Metrics.counter(namespace, name(bound))).toList();
  }

  static String name(Duration bound) {
    return bound.toMinutes() > 0
        ? "verdicts-delivered-within-" + bound.toMinutes() + "m"
        : "verdicts-delivered-within-" + bound.toSeconds() + "s";
  }

  void add(long millis) {
    all.inc();
    for (int i = 0; i < within.size(); i++) {
      if (millis <= BOUNDS.get(i).toMillis()) {
        within.get(i).inc();
      }
    }
  }
}

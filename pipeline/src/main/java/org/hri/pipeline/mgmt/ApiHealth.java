package org.hri.pipeline.mgmt;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Metrics that tell operators the Management API is failing for the whole stream: a gauge, 1 after a call
 * failed in a way worth retrying and 0 after one succeeded, and a count of such failures.
 */
public final class ApiHealth {
  private static final Gauge FAILING = Metrics.gauge("hri", "mgmt-api-failing");
  private static final Counter FAILURES = Metrics.counter("hri", "mgmt-api-failures");

  private ApiHealth() {}

  public static void failed() {
    FAILING.set(1);
    FAILURES.inc();
  }

  public static void succeeded() {
    FAILING.set(0);
  }
}

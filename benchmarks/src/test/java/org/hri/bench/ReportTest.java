package org.hri.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What scripts read from the benchmark: the RESULT lines and the table, and the one-line option errors. */
class ReportTest {
  private static final Measurement.Latency LATENCY = new Measurement.Latency(496, 996, 40);

  private static final List<Measurement> RUNS = List.of(
      new Measurement("kafka", "copy", "small", 100_000, 102_400_000, 4.0, 0.9, 300, null),
      new Measurement("direct", "passthrough", "small", 10_000, 10_240_000, 40.0, 1.5, 1_400, new Measurement.Latency(66, 384, 40)),
      new Measurement("flink", "passthrough", "small", 100_000, 102_400_000, 20.0, 1.4, 1_600, LATENCY));

  @Test
  void resultLinesCarryRatesRatiosAndTheFlinkLatency() {
    Report report = new Report(RUNS, List.of(new TrackerScale("flink", 100_000, 516, 73, 71.1, 100_000, 0, 4_612)), "m");
    assertThat(report.resultLines(), contains(
        "RESULT runner=direct validator=passthrough data=small records_per_s=250 mb_per_s=0.26 ratio_to_kafka=0.010",
        "RESULT runner=flink validator=passthrough data=small records_per_s=5000 mb_per_s=5.12 ratio_to_kafka=0.200",
        "RESULT verdict_latency_ms_median=496 verdict_latency_ms_max=996",
        "RESULT tracker_runner=flink tracker_batches=100000 tracker_heap_mib=516 tracker_checkpoint_mib=73"
            + " tracker_verdict_s=71.1 tracker_correct=true"));
  }

  @Test
  void theTableHasOneRowPerRun() {
    String table = new Report(RUNS, List.of(), "2 cores").markdown();
    assertThat(table, containsString("| flink | passthrough | small | 100,000 | 5,000 | 5.1 | 0.20 | 1.40 | 1,600 | 496 / 996 |"));
    assertThat(table, containsString("| kafka | copy | small | 100,000 | 25,000 | 25.6 | 1.00 | 0.90 | 300 | — |"));
  }

  @Test
  void aBadOptionIsOneLineNamingIt() {
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.parse("--smallRecords=many", "--runners="));
    assertThat(bad.getMessage(), is("--smallRecords: not a non-negative whole number"));
    IllegalArgumentException runner = assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse("--runners=spark"));
    assertThat(runner.getMessage(), is("--runners: unknown runner spark"));
    IllegalArgumentException warmup = assertThrows(IllegalArgumentException.class,
        () -> BenchConfig.parse("--warmupPercent=95", "--runners="));
    assertThat(warmup.getMessage(), is("--warmupPercent: at most 90 (some records must be measured)"));
  }
}

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
      new Measurement("kafka", "copy", "small", 100_000, 102_400_000, 4.0, 0.9, 300, null, null),
      new Measurement("direct", "passthrough", "small", 10_000, 10_240_000, 40.0, 1.5, 1_400, new Measurement.Latency(66, 384, 40), null),
      new Measurement("flink", "passthrough", "small", 100_000, 102_400_000, 20.0, 1.4, 1_600, LATENCY,
          new FlinkHealth(0, 0, 23)));

  @Test
  void resultLinesCarryRatesRatiosAndTheFlinkLatency() {
    Report report = new Report(RUNS, List.of(
        new TrackerScale("flink", 100_000, 516, 73, 71.1, 100_000, 0, 4_612, new FlinkHealth(0, 0, 41))), "m");
    assertThat(report.resultLines(), contains(
        "RESULT runner=direct validator=passthrough data=small records_per_s=250 mb_per_s=0.26 ratio_to_kafka=0.010",
        "RESULT runner=flink validator=passthrough data=small records_per_s=5000 mb_per_s=5.12 ratio_to_kafka=0.200"
            + " failed_checkpoints=0 restarts=0 startup_failed_checkpoints=23",
        "RESULT verdict_latency_ms_median=496 verdict_latency_ms_max=996",
        "RESULT tracker_runner=flink tracker_batches=100000 tracker_heap_mib=516 tracker_checkpoint_mib=73"
            + " tracker_verdict_s=71.1 tracker_correct=true tracker_failed_checkpoints=0 tracker_restarts=0"
            + " tracker_startup_failed_checkpoints=41"));
    assertThat(report.failures(), is(List.of()));
  }

  @Test
  void aFlinkRunWithFailedCheckpointsOrRestartsFailsAndSaysSo() {
    List<Measurement> runs = List.of(
        RUNS.get(0),
        new Measurement("flink", "fhir", "fhir", 10_000, 50_000_000, 20.0, 1.4, 1_600, LATENCY,
            new FlinkHealth(3, 1, 20)),
        new Measurement("flink", "passthrough", "small", 100_000, 102_400_000, 20.0, 1.4, 1_600, null,
            new FlinkHealth(0, 2, 20)));
    Report report = new Report(runs, List.of(
        new TrackerScale("flink", 100_000, 516, 73, 71.1, 100_000, 0, 4_612, new FlinkHealth(11, 0, 41))), "m");

    assertThat(report.failures(), contains(
        "flink fhir fhir: 3 failed checkpoints, 1 restarts",
        "flink passthrough small: 0 failed checkpoints, 2 restarts",
        "tracker scale on flink: 11 failed checkpoints, 0 restarts"));
    assertThat(report.resultLines().get(0), is(
        "RESULT runner=flink validator=fhir data=fhir records_per_s=500 mb_per_s=2.50 ratio_to_kafka=NaN"
            + " failed_checkpoints=3 restarts=1 startup_failed_checkpoints=20"));
    String table = report.markdown();
    assertThat(table, containsString("| 496 / 996 | 3 / 1 |"));
    assertThat(table, containsString("| 4,612 | 11 / 0 |"));
  }

  @Test
  void anAtLeastOnceRunGivesTheExactlyOnceRatio() {
    List<Measurement> runs = List.of(
        RUNS.get(0), RUNS.get(2),
        new Measurement("flink", "passthrough-at-least-once", "small", 100_000, 102_400_000, 16.0, 1.4, 1_600,
            null, new FlinkHealth(0, 0, 20)));
    Report report = new Report(runs, List.of(), "m");

    assertThat(report.resultLines().get(2), is("RESULT runner=flink data=small exactly_once_ratio=0.800"));
    assertThat(report.markdown(), containsString("Exactly once at 0.80 of at-least-once (flink, passthrough, small)."));
  }

  @Test
  void theHandWrittenFlinkJobIsASecondBaseline() {
    List<Measurement> runs = List.of(
        RUNS.get(0),
        new Measurement("flink-copy", "copy", "small", 100_000, 102_400_000, 25.0, 1.2, 900, null,
            new FlinkHealth(0, 0, 3)),
        RUNS.get(2));
    Report report = new Report(runs, List.of(), "m");

    assertThat(report.resultLines(), contains(
        "RESULT runner=flink-copy validator=copy data=small records_per_s=4000 mb_per_s=4.10 ratio_to_kafka=0.160"
            + " failed_checkpoints=0 restarts=0 startup_failed_checkpoints=3",
        "RESULT runner=flink validator=passthrough data=small records_per_s=5000 mb_per_s=5.12 ratio_to_kafka=0.200"
            + " failed_checkpoints=0 restarts=0 startup_failed_checkpoints=23",
        "RESULT runner=flink validator=passthrough data=small ratio_to_flink_copy=1.250",
        "RESULT verdict_latency_ms_median=496 verdict_latency_ms_max=996"));
    String table = report.markdown();
    assertThat(table, containsString("| flink (hand-written) | KafkaSink copy, exactly once | small | 100,000 |"
        + " 4,000 | 4.1 | 0.16 | 1.20 | 900 | — | 0 / 0 |"));
    assertThat(table,
        containsString("The job on Flink at 1.25 of the hand-written Flink job (passthrough, small)."));
    assertThat(report.failures(), is(List.of()));
  }

  @Test
  void aHandWrittenFlinkJobThatRestartedFailsTooAndNoCopyMeansNoRatio() {
    List<Measurement> runs = List.of(
        new Measurement("flink-copy", "copy", "fhir", 5_000, 50_000_000, 2.0, 1.2, 900, null,
            new FlinkHealth(0, 1, 3)),
        RUNS.get(2));
    Report report = new Report(runs, List.of(), "m");

    assertThat(report.failures(), contains("flink-copy copy fhir: 0 failed checkpoints, 1 restarts"));
    assertThat(report.resultLines().stream().anyMatch(line -> line.contains("ratio_to_flink_copy")), is(false));
    assertThat(report.ratioToFlinkCopy(RUNS.get(2)), is(Double.NaN));
  }

  @Test
  void theTableHasOneRowPerRun() {
    String table = new Report(RUNS, List.of(), "2 cores").markdown();
    assertThat(table, containsString(
        "| flink | passthrough | small | 100,000 | 5,000 | 5.1 | 0.20 | 1.40 | 1,600 | 496 / 996 | 0 / 0 |"));
    assertThat(table, containsString("| kafka | copy | small | 100,000 | 25,000 | 25.6 | 1.00 | 0.90 | 300 | — | — |"));
    assertThat(table, containsString("| direct | passthrough | small | 10,000 | 250 | 0.3 | 0.01 | 1.50 | 1,400 | 66 / 384 | — |"));
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

package org.hri.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/** The benchmark's results as a markdown table, a PNG chart and {@code RESULT} lines for scripts. */
final class Report {
  private final List<Measurement> runs;
  private final List<TrackerScale> trackers;
  private final String machine;

  Report(List<Measurement> runs, List<TrackerScale> trackers, String machine) {
    this.runs = runs;
    this.trackers = trackers;
    this.machine = machine;
  }

  /** How the validator column names a run with {@code --exactlyOnce=false}. */
  static final String AT_LEAST_ONCE = "-at-least-once";

  /**
   * For a run with {@code --exactlyOnce=false}: the records/s of the same job with Kafka transactions over
   * its own, or NaN when that job did not run.
   */
  double exactlyOnceRatio(Measurement atLeastOnce) {
    String exactlyOnce = atLeastOnce.validator().replace(AT_LEAST_ONCE, "");
    return runs.stream()
        .filter(m -> m.runner().equals(atLeastOnce.runner()) && m.validator().equals(exactlyOnce)
            && m.data().equals(atLeastOnce.data()))
        .findFirst()
        .map(m -> m.recordsPerSecond() / atLeastOnce.recordsPerSecond())
        .orElse(Double.NaN);
  }

  /** The baseline's records/s on the same data set, or NaN. */
  double ratioToKafka(Measurement run) {
    return runs.stream()
        .filter(m -> m.isBaseline() && m.data().equals(run.data()))
        .findFirst()
        .map(base -> run.recordsPerSecond() / base.recordsPerSecond())
        .orElse(Double.NaN);
  }

  /** A run's records/s over the hand-written Flink job's on the same data set, or NaN. */
  double ratioToFlinkCopy(Measurement run) {
    return runs.stream()
        .filter(m -> m.isFlinkCopy() && m.data().equals(run.data()))
        .findFirst()
        .map(copy -> run.recordsPerSecond() / copy.recordsPerSecond())
        .orElse(Double.NaN);
  }

  /** The job's Flink runs that have a hand-written Flink job on the same data set to be compared with. */
  private List<Measurement> flinkRunsWithACopy() {
    return runs.stream().filter(m -> "flink".equals(m.runner()) && !Double.isNaN(ratioToFlinkCopy(m))).toList();
  }

  /** What the table's runner and validator columns say of a run. */
  private static String runnerCell(Measurement m) {
    return m.isFlinkCopy() ? "flink (hand-written)" : m.runner();
  }

  private static String validatorCell(Measurement m) {
    return m.isFlinkCopy() ? "KafkaSink copy, exactly once" : m.validator();
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("Machine: ").append(machine).append("\n\n");
    md.append("| runner | validator | data | records measured | records/s | MB/s | ratio to Kafka | job CPU (cores) |"
        + " peak RSS (MiB) | verdict latency beyond delay, median / max (ms) | failed checkpoints / restarts |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Measurement m : runs) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,.0f | %.1f | %.2f | %.2f | %,d | %s | %s |%n",
          runnerCell(m), validatorCell(m), m.data(), m.records(), m.recordsPerSecond(), m.mbPerSecond(),
          ratioToKafka(m), m.cores(), m.peakRssMib(),
          m.latency() == null ? "—" : m.latency().medianMs() + " / " + m.latency().maxMs(), cell(m.flink())));
    }
    for (Measurement m : runs) {
      if (m.validator().endsWith(AT_LEAST_ONCE)) {
        md.append(String.format(Locale.ROOT, "%nExactly once at %.2f of at-least-once (%s, %s, %s).%n",
            exactlyOnceRatio(m), m.runner(), m.validator().replace(AT_LEAST_ONCE, ""), m.data()));
      }
    }
    for (Measurement m : flinkRunsWithACopy()) {
      md.append(String.format(Locale.ROOT, "%nThe job on Flink at %.2f of the hand-written Flink job (%s, %s).%n",
          ratioToFlinkCopy(m), m.validator(), m.data()));
    }
    if (!trackers.isEmpty()) {
      md.append("\n| tracker scale | open batches | heap after GC, all open (MiB) | checkpoint (MiB) |"
          + " all verdicts in (s) | completed | failed | peak RSS (MiB) | failed checkpoints / restarts |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (TrackerScale t : trackers) {
        md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %.1f | %,d | %,d | %,d | %s |%n",
            t.runner(), t.batches(), t.heapOpenMib(), t.checkpointMib() < 0 ? "—" : t.checkpointMib(),
            t.verdictSeconds(), t.completed(), t.failed(), t.peakRssMib(), cell(t.flink())));
      }
    }
    return md.toString();
  }

  private static String cell(FlinkHealth flink) {
    return flink == null ? "—" : flink.cell();
  }

  /**
   * Flink's numbers for a RESULT line: failed checkpoints (once the job was steady) and restarts, then the
   * checkpoints Flink counted as failed while the job started; nothing for other runners.
   */
  private static String flinkFields(String prefix, FlinkHealth flink) {
    return flink == null ? "" : String.format(Locale.ROOT, " %sfailed_checkpoints=%d %srestarts=%d"
        + " %sstartup_failed_checkpoints=%d", prefix, flink.failedCheckpoints(), prefix, flink.restarts(), prefix,
        flink.startupFailed());
  }

  /** The runs that must fail the benchmark: a Flink run with a failed checkpoint or a restart. */
  List<String> failures() {
    List<String> failures = new ArrayList<>();
    for (Measurement m : runs) {
      if (m.flink() != null && !m.flink().clean()) {
        failures.add(String.format(Locale.ROOT, "%s %s %s: %d failed checkpoints, %d restarts", m.runner(),
            m.validator(), m.data(), m.flink().failedCheckpoints(), m.flink().restarts()));
      }
    }
    for (TrackerScale t : trackers) {
      if (t.flink() != null && !t.flink().clean()) {
        failures.add(String.format(Locale.ROOT, "tracker scale on %s: %d failed checkpoints, %d restarts",
            t.runner(), t.flink().failedCheckpoints(), t.flink().restarts()));
      }
    }
    return failures;
  }

  List<String> resultLines() {
    List<String> lines = new ArrayList<>();
    for (Measurement m : runs) {
      if (!m.isBaseline()) {
        lines.add(String.format(Locale.ROOT,
            "RESULT runner=%s validator=%s data=%s records_per_s=%.0f mb_per_s=%.2f ratio_to_kafka=%.3f%s",
            m.runner(), m.validator(), m.data(), m.recordsPerSecond(), m.mbPerSecond(), ratioToKafka(m),
            flinkFields("", m.flink())));
      }
    }
    for (Measurement m : runs) {
      if (m.validator().endsWith(AT_LEAST_ONCE)) {
        lines.add(String.format(Locale.ROOT, "RESULT runner=%s data=%s exactly_once_ratio=%.3f", m.runner(),
            m.data(), exactlyOnceRatio(m)));
      }
    }
    for (Measurement m : flinkRunsWithACopy()) {
      lines.add(String.format(Locale.ROOT, "RESULT runner=%s validator=%s data=%s ratio_to_flink_copy=%.3f",
          m.runner(), m.validator(), m.data(), ratioToFlinkCopy(m)));
    }
    headlineLatency().ifPresent(latency -> lines.add(String.format(Locale.ROOT,
        "RESULT verdict_latency_ms_median=%d verdict_latency_ms_max=%d", latency.medianMs(), latency.maxMs())));
    for (TrackerScale t : trackers) {
      lines.add(String.format(Locale.ROOT,
          "RESULT tracker_runner=%s tracker_batches=%d tracker_heap_mib=%d tracker_checkpoint_mib=%d"
              + " tracker_verdict_s=%.1f tracker_correct=%s%s",
          t.runner(), t.batches(), t.heapOpenMib(), t.checkpointMib(), t.verdictSeconds(), t.correct(),
          flinkFields("tracker_", t.flink())));
    }
    return lines;
  }

  /** The production setting's latency: Flink with passthrough if it ran, else the first job that has one. */
  private java.util.Optional<Measurement.Latency> headlineLatency() {
    return runs.stream()
        .filter(m -> m.latency() != null)
        .sorted((a, b) -> Boolean.compare(!"flink".equals(a.runner()), !"flink".equals(b.runner())))
        .map(Measurement::latency)
        .findFirst();
  }

  void writeChart(Path png) throws IOException {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Measurement m : runs) {
      String series = m.isBaseline() ? "Kafka copy (baseline)"
          : m.isFlinkCopy() ? "Flink KafkaSink copy (hand-written)" : m.runner() + " / " + m.validator();
      dataset.addValue(m.recordsPerSecond(), series, m.data() + " records");
    }
    JFreeChart chart = ChartFactory.createBarChart(
        "HRI pipeline throughput by runner and validator", "data set", "records/s", dataset,
        PlotOrientation.VERTICAL, true, false, false);
    Files.createDirectories(png.toAbsolutePath().getParent());
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
  }
}

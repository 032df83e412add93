package org.hri.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The benchmark's settings, from {@code --name=value} options ({@link Options}). Defaults make a run of about nine minutes on
 * 2 cores; {@code --quick} shrinks every size for a smoke run. The DirectRunner gets fewer records: it reads
 * at most 10 records per bundle from Kafka and would take most of the time budget.
 */
record BenchConfig(
    int smallRecords,
    int fhirRecords,
    int directSmallRecords,
    int directFhirRecords,
    int batches,
    int warmupPercent,
    List<String> runners,
    int latencyBatches,
    int trackerBatches,
    long completionDelayMs,
    String jobHeap,
    Path fhirSample,
    Path resultsDir,
    String directClasspath,
    Path flinkJar,
    List<String> copyProducer,
    List<String> jobArgs,
    List<String> jobJvm,
    List<String> cases) {
  /** The job's cases: validator/data, and the at-least-once run the exactly-once one is compared with. */
  static final String DEFAULT_CASES = "passthrough/small,passthrough/small/at-least-once,passthrough/fhir,fhir/fhir";

  /** The options, {@code --name=value}; a number may be written with underscores ({@code 200_000}). */
  static final class Options {
    @Option(names = "--smallRecords", paramLabel = "N", description = "1 KB records (default 200000; quick 20000)")
    String smallRecords;

    @Option(names = "--fhirRecords", paramLabel = "N", description = "FHIR records (default 10000; quick 2000)")
    String fhirRecords;

    @Option(names = "--directSmallRecords", paramLabel = "N",
        description = "1 KB records on the DirectRunner (default 10000; quick 2000)")
    String directSmallRecords;

    @Option(names = "--directFhirRecords", paramLabel = "N",
        description = "FHIR records on the DirectRunner (default 2000; quick 500)")
    String directFhirRecords;

    @Option(names = "--batches", paramLabel = "N", description = "batches per run (default 20; quick 4)")
    String batches;

    @Option(names = "--warmupPercent", paramLabel = "N", description = "records not measured, at most 90 (default 25)")
    String warmupPercent;

    @Option(names = "--runners", defaultValue = "direct,flink",
        description = "direct,flink (default); empty: the baseline only")
    String runners;

    @Option(names = "--cases", defaultValue = DEFAULT_CASES, description = "validator/data[/at-least-once],...")
    String cases;

    @Option(names = "--latencyBatches", paramLabel = "N", description = "latency phase (default 40; quick 10)")
    String latencyBatches;

    @Option(names = "--trackerBatches", paramLabel = "N",
        description = "open batches at once (default 100000; quick 5000)")
    String trackerBatches;

    @Option(names = "--completionDelay", paramLabel = "MS", description = "the job's (default 1000)")
    String completionDelay;

    @Option(names = "--jobHeap", defaultValue = "4g", description = "the job's -Xmx (default 4g)")
    String jobHeap;

    @Option(names = "--fhirSample", defaultValue = "data/synthea-sample-200.ndjson", description = "NDJSON sample")
    Path fhirSample;

    @Option(names = "--results", paramLabel = "DIR", description = "default bench-results/<time>")
    Path results;

    @Option(names = "--quick", description = "every size smaller: a smoke run")
    boolean quick;

    @Option(names = "--copyProducer", paramLabel = "'k=v k=v'", description = "the baseline producer's settings")
    String copyProducer = "";

    @Option(names = "--jobArgs", paramLabel = "'--opt=v ...'", description = "more job options")
    String jobArgs = "";

    @Option(names = "--jobJvm", paramLabel = "'-X...'", description = "more JVM options for the job")
    String jobJvm = "";

    @Option(names = "--directClasspath", paramLabel = "CP", description = "required for the direct runner")
    String directClasspath;

    @Option(names = "--flinkJar", paramLabel = "JAR", description = "required for the flink runner")
    Path flinkJar;

    /** The settings; an IllegalArgumentException, one line naming the option, when they do not fit. */
    BenchConfig toConfig() {
      String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      BenchConfig config = new BenchConfig(
          intOption("smallRecords", smallRecords, quick ? 20_000 : 200_000),
          intOption("fhirRecords", fhirRecords, quick ? 2_000 : 10_000),
          intOption("directSmallRecords", directSmallRecords, quick ? 2_000 : 10_000),
          intOption("directFhirRecords", directFhirRecords, quick ? 500 : 2_000),
          intOption("batches", batches, quick ? 4 : 20),
          intOption("warmupPercent", warmupPercent, 25),
          runners.isBlank() ? List.of() : List.of(runners.split(",")),
          intOption("latencyBatches", latencyBatches, quick ? 10 : 40),
          intOption("trackerBatches", trackerBatches, quick ? 5_000 : 100_000),
          intOption("completionDelay", completionDelay, 1_000),
          jobHeap,
          fhirSample,
          results != null ? results : Path.of("bench-results/" + time),
          directClasspath,
          flinkJar,
          words(copyProducer),
          words(jobArgs),
          words(jobJvm),
          List.of(cases.split(",")));
      if (config.warmupPercent() > 90) {
        throw new IllegalArgumentException("--warmupPercent: at most 90 (some records must be measured)");
      }
      List<String> unknownRunners = new ArrayList<>(config.runners());
      unknownRunners.removeAll(List.of("direct", "flink"));
      if (!unknownRunners.isEmpty()) {
        throw new IllegalArgumentException("--runners: unknown runner " + unknownRunners.get(0));
      }
      if (config.runners().contains("direct") && config.directClasspath() == null) {
        throw new IllegalArgumentException("--directClasspath: required for the direct runner");
      }
      if (config.runners().contains("flink") && config.flinkJar() == null) {
        throw new IllegalArgumentException("--flinkJar: required for the flink runner");
      }
      return config;
    }
  }

  /** The settings {@code args} give; an IllegalArgumentException naming the problem. */
  static BenchConfig parse(String... args) {
    Options options = new Options();
    try {
      new CommandLine(options).parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return options.toConfig();
  }

  private static List<String> words(String list) {
    return list.isBlank() ? List.of() : List.of(list.trim().split("\\s+"));
  }

  private static int intOption(String name, String value, int fallback) {
    try {
      int parsed = value == null ? fallback : Integer.parseInt(value.replace("_", ""));
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a non-negative whole number");
    }
  }
}

package org.hri.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The benchmark's settings, from {@code --name=value} options ({@link Options} and {@link #addCounts}). Defaults
 * make a run of about ten minutes on 2 cores; {@code --quick} shrinks every size for a smoke run. Only the last
 * tenth of each run's records is measured: the job's JIT compilation takes about a minute on 2 cores
 * (docs/performance.md). The DirectRunner gets fewer small records: it is a test runner.
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
    Path flinkCopyJar,
    List<String> baselines,
    List<String> copyProducer,
    List<String> jobArgs,
    List<String> jobJvm,
    List<String> cases) {
  /** The job's cases: validator/data, and the at-least-once run the exactly-once one is compared with. */
  static final String DEFAULT_CASES = "passthrough/small,passthrough/small/at-least-once,passthrough/fhir,fhir/fhir";

  /** The plain Kafka copy on each data set, and the hand-written Flink job on small records (issue 12's goal). */
  static final String DEFAULT_BASELINES = "kafka/small,kafka/fhir,flink-copy/small";

  /** The baselines {@code --baselines} knows: {@link KafkaCopy}, and the hand-written Flink KafkaSink job. */
  static final List<String> BASELINE_KINDS = List.of("kafka", "flink-copy");

  /** A whole-number option: its default, its default with {@code --quick}, and what it counts. */
  private record Count(String name, int full, int quick, String what) {}

  /** The whole-number options, declared from this table; one may be written with underscores ({@code 200_000}). */
  private static final List<Count> COUNTS = List.of(
      new Count("smallRecords", 6_000_000, 20_000, "1 KB records"),
      new Count("fhirRecords", 60_000, 2_000, "FHIR records"),
      new Count("directSmallRecords", 1_000_000, 2_000, "1 KB records on the DirectRunner"),
      new Count("directFhirRecords", 60_000, 500, "FHIR records on the DirectRunner"),
      new Count("batches", 20, 4, "batches per run"),
      new Count("warmupPercent", 90, 25, "records counted but not measured at the start of a run, in %, at most 90"),
      new Count("latencyBatches", 40, 10, "batches of the latency phase"),
      new Count("trackerBatches", 100_000, 5_000, "batches open at once in the tracker phase"),
      new Count("completionDelay", 1_000, 1_000, "the job's --batchCompletionDelay in ms"));

  /** Adds the whole-number options to a command (they are read back by {@link Options#toConfig}). */
  static void addCounts(CommandSpec spec) {
    for (Count count : COUNTS) {
      spec.addOption(OptionSpec.builder("--" + count.name()).paramLabel("N").type(String.class)
          .description(count.what() + " (default " + count.full()
              + (count.quick() == count.full() ? "" : "; with --quick " + count.quick()) + ")")
          .build());
    }
  }

  /** The options but the whole numbers ({@link #addCounts}), as a picocli mixin. */
  static final class Options {
    @Option(names = "--quick", description = "every size smaller: a smoke run")
    boolean quick;

    @Option(names = "--runners", defaultValue = "direct,flink",
        description = "direct,flink (default); empty: the baseline only")
    String runners;

    @Option(names = "--cases", defaultValue = DEFAULT_CASES, description = "validator/data[/at-least-once],...")
    String cases;

    @Option(names = "--baselines", defaultValue = DEFAULT_BASELINES,
        description = "kafka/data (KafkaCopy), flink-copy/data (hand-written Flink job),... (default "
            + DEFAULT_BASELINES + ")")
    String baselines;

    @Option(names = "--jobHeap", defaultValue = "4g", description = "the job's -Xmx (default 4g)")
    String jobHeap;

    @Option(names = "--fhirSample", defaultValue = "data/synthea-sample-200.ndjson", description = "NDJSON sample")
    Path fhirSample;

    @Option(names = "--results", paramLabel = "DIR", description = "default bench-results/<time>")
    Path results;

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

    @Option(names = "--flinkCopyJar", paramLabel = "JAR", description = "required for the flink-copy baseline")
    Path flinkCopyJar;

    /**
     * The settings, with the whole numbers from {@code spec} (the command {@link #addCounts} added them to); an
     * IllegalArgumentException, one line naming the option, when they do not fit.
     */
    BenchConfig toConfig(CommandSpec spec) {
      Map<String, Integer> counts = new HashMap<>();
      for (Count count : COUNTS) {
        String value = spec.findOption("--" + count.name()).getValue();
        counts.put(count.name(), intOption(count.name(), value, quick ? count.quick() : count.full()));
      }
      String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      BenchConfig config = new BenchConfig(
          counts.get("smallRecords"),
          counts.get("fhirRecords"),
          counts.get("directSmallRecords"),
          counts.get("directFhirRecords"),
          counts.get("batches"),
          counts.get("warmupPercent"),
          runners.isBlank() ? List.of() : List.of(runners.split(",")),
          counts.get("latencyBatches"),
          counts.get("trackerBatches"),
          counts.get("completionDelay"),
          jobHeap,
          fhirSample,
          results != null ? results : Path.of("bench-results/" + time),
          directClasspath,
          flinkJar,
          flinkCopyJar,
          baselines.isBlank() ? List.of() : List.of(baselines.split(",")),
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
      for (String baseline : config.baselines()) {
        String[] parts = baseline.split("/");
        boolean known = parts.length == 2 && BASELINE_KINDS.contains(parts[0])
            && List.of("small", "fhir").contains(parts[1]);
        if (!known) {
          throw new IllegalArgumentException("--baselines: unknown baseline " + baseline
              + " (kafka/small, kafka/fhir, flink-copy/small, flink-copy/fhir)");
        }
      }
      boolean flinkCopy = config.baselines().stream().anyMatch(b -> b.startsWith("flink-copy/"));
      if (flinkCopy && config.flinkCopyJar() == null) {
        throw new IllegalArgumentException("--flinkCopyJar: required for the flink-copy baseline");
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
    CommandLine command = new CommandLine(options);
    addCounts(command.getCommandSpec());
    try {
      command.parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return options.toConfig(command.getCommandSpec());
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

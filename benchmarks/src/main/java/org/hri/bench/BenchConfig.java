package org.hri.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's settings, from {@code --name=value} arguments. Defaults make a run of about nine minutes on
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

  static final String USAGE =
      "usage: bench [--smallRecords=200000] [--fhirRecords=10000] [--directSmallRecords=10000]"
          + " [--directFhirRecords=2000] [--batches=20] [--warmupPercent=25]"
          + " [--runners=direct,flink (empty: the baseline only)]"
          + " [--cases=" + DEFAULT_CASES + "]"
          + " [--latencyBatches=40] [--trackerBatches=100000] [--completionDelay=1000] [--jobHeap=4g]"
          + " [--fhirSample=data/synthea-sample-200.ndjson] [--results=bench-results/<time>] [--quick]"
          + ""
          + " [--copyProducer='linger.ms=5 batch.size=65536'] [--jobArgs='--maxBundleSize=1000 ...']"
          + " [--jobJvm='-XX:StartFlightRecording=filename=job.jfr']"
          + " --directClasspath=CP --flinkJar=JAR";

  static BenchConfig parse(String... args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("not an option: " + arg + "\n" + USAGE);
      }
      int eq = arg.indexOf('=');
      given.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    boolean quick = Boolean.parseBoolean(given.remove("quick"));
    String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    BenchConfig config = new BenchConfig(
        intOption(given, "smallRecords", quick ? 20_000 : 200_000),
        intOption(given, "fhirRecords", quick ? 2_000 : 10_000),
        intOption(given, "directSmallRecords", quick ? 2_000 : 10_000),
        intOption(given, "directFhirRecords", quick ? 500 : 2_000),
        intOption(given, "batches", quick ? 4 : 20),
        intOption(given, "warmupPercent", 25),
        runners(given.getOrDefault("runners", "direct,flink")),
        intOption(given, "latencyBatches", quick ? 10 : 40),
        intOption(given, "trackerBatches", quick ? 5_000 : 100_000),
        intOption(given, "completionDelay", 1_000),
        given.getOrDefault("jobHeap", "4g"),
        Path.of(given.getOrDefault("fhirSample", "data/synthea-sample-200.ndjson")),
        Path.of(given.getOrDefault("results", "bench-results/" + time)),
        given.get("directClasspath"),
        given.containsKey("flinkJar") ? Path.of(given.get("flinkJar")) : null,
        words(given.getOrDefault("copyProducer", "")),
        words(given.getOrDefault("jobArgs", "")),
        words(given.getOrDefault("jobJvm", "")),
        List.of(given.getOrDefault("cases", DEFAULT_CASES).split(",")));
    for (String known : List.of("smallRecords", "fhirRecords", "directSmallRecords", "directFhirRecords", "batches",
        "warmupPercent", "runners", "latencyBatches", "trackerBatches", "completionDelay", "jobHeap", "fhirSample",
        "results", "directClasspath", "flinkJar", "copyProducer", "jobArgs", "jobJvm", "cases")) {
      given.remove(known);
    }
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("unknown option --" + given.keySet().iterator().next() + "\n" + USAGE);
    }
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

  private static List<String> words(String list) {
    return list.isBlank() ? List.of() : List.of(list.trim().split("\\s+"));
  }

  private static List<String> runners(String list) {
    return list.isBlank() ? List.of() : List.of(list.split(","));
  }

  private static int intOption(Map<String, String> given, String name, int fallback) {
    String value = given.get(name);
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

package org.hri.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hri.cli.Tool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Turns the JSON result of a JMH run of {@link ValidatorThroughput} and {@link ValidatorStartup}
 * ({@code -rf json -rff FILE}) into a markdown table, one row per validator and record set:
 *
 * <pre>validator | records | records/s (one core) | thread CPU | records/CPU-s | MB/s | allocation per record (KB) | start-up (ms)</pre>
 *
 * <p>MB/s is records/s times the mean size of the record set's bodies (read from the same sample file); MB is
 * 10^6 bytes, KB 10^3. Allocation is {@code -prof gc}'s {@code gc.alloc.rate.norm} (bytes per record). Start-up
 * is the mean of {@link ValidatorStartup}'s forks, with their range. Prints the table and writes it, with the
 * machine, the JVM and the command, to OUT.md.
 *
 * <p>Usage: {@code JmhTable --results=RESULT.json --out=OUT.md [--command=TEXT] [--loadBefore=TEXT]}; the
 * sample is {@code -Dhri.jmh.sample} as for the benchmarks.
 */
@Command(name = "JmhTable", description = "A markdown table of a JMH run of the validators.")
public final class JmhTable extends Tool {
  private static final List<String> ORDER = List.of(BenchValidators.PASSTHROUGH, BenchValidators.JSON,
      BenchValidators.JSON_SCHEMA, BenchValidators.FHIR_STRUCTURAL, BenchValidators.FHIR_PROFILE);
  private static final String THROUGHPUT = ValidatorThroughput.class.getName() + ".";
  private static final String STARTUP = ValidatorStartup.class.getName() + ".";

  @Option(names = "--results", required = true, paramLabel = "RESULT.json", description = "JMH's -rf json output")
  private Path resultsFile;

  @Option(names = "--out", required = true, paramLabel = "OUT.md", description = "where the table goes")
  private Path outFile;

  @Option(names = "--command", paramLabel = "TEXT", description = "the command that ran JMH, for the document")
  private String command;

  @Option(names = "--loadBefore", paramLabel = "TEXT", description = "the load average before the run")
  private String loadBefore;

  private JmhTable() {}

  public static void main(String[] args) {
    System.exit(new JmhTable().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() throws IOException {
    JsonNode results = new ObjectMapper().readTree(resultsFile.toFile());
    String table = table(results);
    out.println(table);
    Map<String, String> options = new LinkedHashMap<>();
    if (command != null) {
      options.put("command", command);
    }
    if (loadBefore != null) {
      options.put("loadBefore", loadBefore);
    }
    Files.writeString(outFile, document(results, table, options), StandardCharsets.UTF_8);
    out.println("(written to " + outFile + ")");
    return 0;
  }

  static String table(JsonNode results) {
    Map<String, Double> sizes = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String set : List.of(SyntheaSample.ALL, SyntheaSample.MEDIAN, SyntheaSample.NEAR_MEDIAN)) {
      List<byte[]> bodies = SyntheaSample.bodies(set);
      sizes.put(set, SyntheaSample.meanBytes(bodies));
      counts.put(set, bodies.size());
    }
    Map<String, JsonNode> startup = new LinkedHashMap<>();
    Map<String, Map<String, JsonNode>> throughput = new LinkedHashMap<>();
    List<String> validators = new ArrayList<>(ORDER);
    for (JsonNode result : results) {
      String benchmark = result.path("benchmark").asText();
      String validator = result.path("params").path("validator").asText("?");
      if (!validators.contains(validator)) {
        validators.add(validator);
      }
      if (benchmark.startsWith(STARTUP)) {
        startup.put(validator, result);
      } else if (benchmark.startsWith(THROUGHPUT)) {
        throughput.computeIfAbsent(validator, v -> new LinkedHashMap<>())
            .put(result.path("params").path("records").asText("?"), result);
      }
    }
    StringBuilder table = new StringBuilder();
    table.append("| validator | records | records/s (one core) | thread CPU | records/CPU-s | MB/s | allocation per record (KB) | start-up (ms) |\n");
    table.append("|---|---|--:|--:|--:|--:|--:|--:|\n");
    boolean warmStartup = false;
    for (String validator : validators) {
      Map<String, JsonNode> sets = throughput.getOrDefault(validator, Map.of());
      JsonNode start = startup.get(validator);
      if (sets.isEmpty() && start == null) {
        continue;
      }
      String startCell = "—";
      if (start != null) {
        startCell = startup(start);
        if (start.path("warmupIterations").asInt() > 0 || start.path("measurementIterations").asInt() > 1) {
          startCell += " (warm!)";
          warmStartup = true;
        }
      }
      if (sets.isEmpty()) {
        table.append(row(validator, "—", "—", "—", "—", "—", "—", startCell));
        continue;
      }
      for (Map.Entry<String, JsonNode> set : sets.entrySet()) {
        JsonNode result = set.getValue();
        JsonNode primary = result.path("primaryMetric");
        double rate = primary.path("score").asDouble();
        JsonNode secondary = result.path("secondaryMetrics");
        JsonNode cpu = metric(secondary, "threadCpuNanos");
        JsonNode alloc = metric(secondary, "gc.alloc.rate.norm");
        Double mean = sizes.get(set.getKey());
        String records = mean == null ? set.getKey()
            : counts.get(set.getKey()) == 1 ? String.format(Locale.ROOT, "%s (1 record, %.1f KB)", set.getKey(), mean / 1000)
            : String.format(Locale.ROOT, "%s (%d, mean %.1f KB)", set.getKey(), counts.get(set.getKey()), mean / 1000);
        double share = cpu == null ? Double.NaN : cpu.path("score").asDouble() / 1e9;
        table.append(row(validator, records,
            withError(rate, primary.path("scoreError").asDouble(Double.NaN)),
            Double.isNaN(share) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * share),
            Double.isNaN(share) || share <= 0 ? "—" : group(rate / share),
            mean == null ? "—" : number(rate * mean / 1e6),
            alloc == null ? "— (no -prof gc)" : number(alloc.path("score").asDouble() / 1000),
            startCell));
      }
    }
    if (warmStartup) {
      table.append("\n(warm!) start-up measured with warm-up or several iterations per fork: not a cold start; "
          + "run ValidatorStartup without -wi/-i.\n");
    }
    return table.toString();
  }

  private static String document(JsonNode results, String table, Map<String, String> options) {
    JsonNode any = results.size() > 0 ? results.get(0) : null;
    StringBuilder doc = new StringBuilder();
    doc.append("# JMH: validators on the Synthea sample\n\n");
    doc.append("- Finished: ").append(ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
        .append(" UTC\n");
    if (options.containsKey("command")) {
      doc.append("- Command: `").append(options.get("command")).append("`\n");
    }
    doc.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(cpuModel()).append("\n");
    if (any != null) {
      doc.append("- JVM: ").append(any.path("vmName").asText()).append(' ').append(any.path("jdkVersion").asText())
          .append(", JMH ").append(any.path("jmhVersion").asText()).append("\n");
    }
    if (options.containsKey("loadBefore")) {
      doc.append("- Load average before: ").append(options.get("loadBefore")).append("\n");
    }
    doc.append("- Load average after: ").append(loadAverage()).append("\n");
    doc.append("- Sample: ").append(SyntheaSample.path()).append("\n\n");
    doc.append(table).append("\n");
    doc.append("Settings per benchmark:\n\n");
    for (JsonNode result : results) {
      String name = result.path("benchmark").asText();
      doc.append("- ").append(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1))
          .append(' ').append(result.path("params").toString())
          .append(": ").append(result.path("mode").asText())
          .append(", ").append(result.path("forks").asInt()).append(" fork(s), ")
          .append(result.path("warmupIterations").asInt()).append(" × ").append(result.path("warmupTime").asText())
          .append(" warm-up, ").append(result.path("measurementIterations").asInt()).append(" × ")
          .append(result.path("measurementTime").asText()).append(" measured\n");
    }
    return doc.toString();
  }

  private static JsonNode metric(JsonNode secondary, String name) {
    JsonNode metric = secondary.get(name);
    return metric != null ? metric : secondary.get("\u00b7" + name); // JMH before 1.33 prefixed profiler metrics
  }

  private static String startup(JsonNode result) {
    JsonNode primary = result.path("primaryMetric");
    double min = Double.MAX_VALUE;
    double max = 0;
    int n = 0;
    for (JsonNode fork : primary.path("rawData")) {
      for (JsonNode value : fork) {
        min = Math.min(min, value.asDouble());
        max = Math.max(max, value.asDouble());
        n++;
      }
    }
    String mean = group(primary.path("score").asDouble());
    return n > 1 ? mean + " (" + group(min) + "–" + group(max) + ")" : mean;
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String withError(double score, double error) {
    return Double.isNaN(error) ? group(score) : group(score) + " ± " + group(error);
  }

  /** Thousands grouped; one decimal below 100, two below 1. */
  private static String group(double value) {
    if (Math.abs(value) < 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    if (Math.abs(value) < 100) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String number(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no model name
    }
    return System.getProperty("os.arch");
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2] + " (1, 5, 15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}

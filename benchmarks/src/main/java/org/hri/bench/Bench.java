package org.hri.bench;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hri.cli.Tool;
import org.hri.pipeline.model.BatchStatus;
import org.hri.testing.FlinkRest;
import org.hri.testing.KafkaBroker;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scripts/bench}: the job end to end on each runner, side by side with a plain Kafka copy loop and a
 * hand-written Flink job (Flink's KafkaSink, exactly once) on the same in-process broker, in one run. The
 * baselines run first; then each runner runs passthrough on both data sets and {@code fhir} on the FHIR one,
 * each on a topic preloaded with the same batches; a latency phase follows on the same job; last, the tracker
 * holds many open batches at once.
 *
 * <p>Jobs and the baselines are child processes, so their CPU and memory are measured apart from the broker.
 */
public final class Bench {
  private static final Duration RUN_DEADLINE = Duration.ofMinutes(6);
  private static final int LATENCY_BATCH_RECORDS = 10;
  private static final long LATENCY_SPACING_MS = 150;
  private static final String FLINK_COPY_MAIN = "org.hri.bench.flinkcopy.FlinkKafkaCopy";

  private final BenchConfig config;
  private final KafkaBroker broker;
  private final Path logs;

  private Bench(BenchConfig config, KafkaBroker broker) {
    this.config = config;
    this.broker = broker;
    this.logs = config.resultsDir().resolve("logs");
  }

  /** The command line: {@link BenchConfig.Options} and {@code --help}. */
  @picocli.CommandLine.Command(name = "bench",
      description = "The job end to end on each runner beside a plain Kafka copy (docs/performance.md).",
      exitCodeList = {"0:every run passed its checks", "1:a run failed, or an error", "2:usage error"})
  static final class Command extends Tool {
    @Mixin BenchConfig.Options options;

    @Override
    protected void addOptions(CommandSpec command) {
      BenchConfig.addCounts(command);
    }

    @Override
    public Integer call() throws Exception {
      BenchConfig config;
      try {
        config = options.toConfig(spec);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      try (KafkaBroker broker = KafkaBroker.start()) {
        return new Bench(config, broker).run();
      }
    }
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new Command().execute(args, System.out, System.err));
  }

  /** Runs every phase; 0 when every run passed its checks, else 1. */
  private int run() throws Exception {
    Dataset small = Dataset.small(config.smallRecords());
    Dataset fhir = Dataset.fhir(config.fhirSample(), config.fhirRecords());
    say("broker %s; data: small %,d × 1 KB, fhir %,d (%.0f MB) from %s", broker.bootstrapServers(),
        small.records(), fhir.records(), fhir.totalBytes() / 1e6, config.fhirSample());

    List<Measurement> runs = new ArrayList<>();
    for (String baseline : config.baselines()) {
      String[] parts = baseline.split("/");
      Dataset data = "small".equals(parts[1]) ? small : fhir;
      runs.add("kafka".equals(parts[0]) ? baseline(data) : flinkCopy(data));
    }
    for (String runner : config.runners()) {
      boolean direct = "direct".equals(runner);
      Dataset runnerSmall = direct ? Dataset.small(config.directSmallRecords()) : small;
      Dataset runnerFhir = direct ? Dataset.fhir(config.fhirSample(), config.directFhirRecords()) : fhir;
      for (String run : config.cases()) {
        String[] parts = run.split("/");
        Dataset data = "small".equals(parts[1]) ? runnerSmall : runnerFhir;
        if (parts.length < 3) {
          runs.add(job(runner, parts[0], parts[0], data, List.of()));
        } else if (!direct) { // the DirectRunner writes at least once anyway
          runs.add(job(runner, parts[0], parts[0] + Report.AT_LEAST_ONCE, data, List.of("--exactlyOnce=false")));
        }
      }
    }
    List<TrackerScale> trackers = new ArrayList<>();
    if (config.trackerBatches() > 0) {
      trackers.add(trackerScale(config.runners().contains("flink") ? "flink" : "direct"));
    }

    Report report = new Report(runs, trackers, machine());
    Files.createDirectories(config.resultsDir());
    Files.writeString(config.resultsDir().resolve("results.md"), report.markdown());
    report.writeChart(config.resultsDir().resolve("throughput.png"));
    System.out.println();
    System.out.println(report.markdown());
    System.out.println("Written: " + config.resultsDir().resolve("results.md") + ", "
        + config.resultsDir().resolve("throughput.png"));
    report.resultLines().forEach(System.out::println);
    List<String> failures = report.failures();
    failures.forEach(f -> System.out.println("bench: FAILED: " + f));
    return failures.isEmpty() ? 0 : 1;
  }

  private Measurement baseline(Dataset data) throws Exception {
    String name = "kafka-copy-" + data.name();
    try (IngestStream stream = load(name, data);
        TopicCounter copies = new TopicCounter(broker.bootstrapServers(), stream.topics.output(), warmup(data));
        ChildJvm copy = ChildJvm.start(name, List.of("-Xmx1g"), System.getProperty("java.class.path"),
            KafkaCopy.class.getName(), copyArgs(stream, data), logs)) {
      TopicCounter.Arrival arrival = copies.await(data.records(), RUN_DEADLINE, null).endingAtLastAppend();
      copy.waitFor(30);
      Measurement m = new Measurement("kafka", "copy", data.name(), arrival.records(), arrival.bytes(),
          arrival.seconds(), copy.coresBetween(arrival.firstAppendMs(), arrival.completedMs()), copy.peakRssMib(),
          null, null);
      say("%s: %,.0f records/s, %.1f MB/s, %.2f cores", name, m.recordsPerSecond(), m.mbPerSecond(), m.cores());
      return m;
    }
  }

  /**
   * The hand-written Flink job: a DataStream copy with Flink's KafkaSource and exactly-once KafkaSink, embedded
   * in its own JVM as the job is (same heap, JVM options, parallelism and checkpoints), measured as the job is.
   * It must write every record exactly once, and have no failed checkpoint or restart, like a run of the job.
   */
  private Measurement flinkCopy(Dataset data) throws Exception {
    String name = "flink-copy-" + data.name();
    FlinkRest flink = flinkRest("flink", name);
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + config.jobHeap()));
    jvm.addAll(ChildJvm.FLINK_JAVA17_OPTS);
    String classpath = config.flinkCopyJar() + File.pathSeparator + slf4jBinding();
    try (IngestStream stream = load(name, data);
        TopicCounter out = new TopicCounter(broker.bootstrapServers(), stream.topics.output(), warmup(data));
        ChildJvm copy = ChildJvm.start(name, jvm, classpath, FLINK_COPY_MAIN, List.of(
            "--brokers=" + broker.bootstrapServers(), "--from=" + stream.topics.input(),
            "--to=" + stream.topics.output(), "--parallelism=2", flink.confDirArg()), logs)) {
      FlinkHealth.Watch watch = new FlinkHealth.Watch(flink);
      try {
        TopicCounter.Arrival arrival = out.await(data.records(), RUN_DEADLINE, copy);
        double cores = copy.coresBetween(arrival.firstAppendMs(), arrival.completedMs());
        FlinkHealth health = watch.read(); // two more checkpoints: any duplicate would be committed by then
        check(name, "records on " + stream.topics.output(), out.countAll(), data.records());
        Measurement m = new Measurement(Measurement.FLINK_COPY, "copy", data.name(), arrival.records(),
            arrival.bytes(), arrival.seconds(), cores, copy.peakRssMib(), null, health);
        say("%s: %,.0f records/s, %.1f MB/s, %.2f cores%s", name, m.recordsPerSecond(), m.mbPerSecond(), cores,
            healthText(health));
        return m;
      } catch (Exception | AssertionError e) {
        throw new IllegalStateException(e.getMessage() + "; " + watch.describe(), e);
      }
    }
  }

  /** The records counted but not measured at the start of a run. */
  private int warmup(Dataset data) {
    return (int) ((long) data.records() * config.warmupPercent() / 100);
  }

  private List<String> copyArgs(IngestStream stream, Dataset data) {
    List<String> args = new ArrayList<>(List.of("--brokers=" + broker.bootstrapServers(),
        "--from=" + stream.topics.input(), "--to=" + stream.topics.output(), "--records=" + data.records()));
    config.copyProducer().forEach(setting -> args.add("--producer=" + setting));
    return args;
  }

  /** A run of the job; {@code label} names it in the report, {@code options} are added to the job's. */
  private Measurement job(String runner, String validator, String label, Dataset data, List<String> options)
      throws Exception {
    String name = runner + "-" + label + "-" + data.name();
    FlinkRest flink = flinkRest(runner, name);
    try (IngestStream stream = load(name, data);
        TopicCounter out = new TopicCounter(broker.bootstrapServers(), stream.topics.output(), warmup(data));
        TopicCounter invalid = new TopicCounter(broker.bootstrapServers(), stream.topics.invalid());
        VerdictCollector verdicts = new VerdictCollector(broker.bootstrapServers(), stream.topics.notification());
        ChildJvm job = startJob(name, runner, stream, withValidator(validator, options), flink)) {
      FlinkHealth.Watch watch = flink == null ? null : new FlinkHealth.Watch(flink);
      try {
        return measure(name, runner, label, data, stream, out, invalid, verdicts, job, watch);
      } catch (Exception | AssertionError e) {
        if (watch != null) { // what Flink counted tells a failed checkpoint's restart loop from a slow run
          throw new IllegalStateException(e.getMessage() + "; " + watch.describe(), e);
        }
        throw e;
      }
    }
  }

  private static List<String> withValidator(String validator, List<String> options) {
    List<String> args = new ArrayList<>(List.of("--validator=" + validator));
    args.addAll(options);
    return args;
  }

  private Measurement measure(String name, String runner, String validator, Dataset data, IngestStream stream,
      TopicCounter out, TopicCounter invalid, VerdictCollector verdicts, ChildJvm job, FlinkHealth.Watch watch)
      throws Exception {
    TopicCounter.Arrival arrival = out.await(data.records(), RUN_DEADLINE, job);
    double cores = job.coresBetween(arrival.firstAppendMs(), arrival.completedMs());
    verdicts.awaitTotal(config.batches(), Duration.ofMinutes(2), job);
    check(name, "invalid records", invalid.countAll(), 0);
    check(name, "completed batches", verdicts.count(BatchStatus.COMPLETED), config.batches());
    Measurement.Latency latency = config.latencyBatches() == 0 ? null : verdictLatency(name, stream, verdicts, job);
    FlinkHealth health = watch == null ? null : watch.read();
    Measurement m = new Measurement(runner, validator, data.name(), arrival.records(), arrival.bytes(),
        arrival.seconds(), cores, job.peakRssMib(), latency, health);
    String latencyText = latency == null ? ""
        : "; verdict latency beyond delay median %d ms, max %d ms".formatted(latency.medianMs(), latency.maxMs());
    say("%s: %,.0f records/s, %.1f MB/s, %.2f cores%s%s", name, m.recordsPerSecond(), m.mbPerSecond(), cores,
        latencyText, healthText(health));
    return m;
  }

  /**
   * Sends small batches one after another on the running, idle job and measures, for each, from the broker's
   * acknowledgement of its sendCompleted (its records were acknowledged before) to its verdict becoming
   * visible to a read_committed consumer, minus the completion delay.
   */
  private Measurement.Latency verdictLatency(String name, IngestStream stream, VerdictCollector verdicts,
      ChildJvm job) throws Exception {
    Map<String, Long> sentMs = new LinkedHashMap<>();
    byte[] body = Dataset.small(1).body(0);
    for (int b = 0; b < config.latencyBatches(); b++) {
      String id = name + "-latency-" + b;
      stream.notify(IngestStream.started(id, stream.topics.input())).get();
      for (int r = 0; r < LATENCY_BATCH_RECORDS; r++) {
        stream.send(id, body);
      }
      stream.flush();
      stream.notify(IngestStream.sendCompleted(id, stream.topics.input(), LATENCY_BATCH_RECORDS)).get();
      sentMs.put(id, System.currentTimeMillis());
      Thread.sleep(LATENCY_SPACING_MS); // pacing: batches arrive one after another, as integrators send them
    }
    verdicts.awaitTotal(config.batches() + config.latencyBatches(), Duration.ofMinutes(2), job);
    List<Long> latencies = new ArrayList<>();
    sentMs.forEach((id, sent) -> {
      VerdictCollector.Verdict verdict = verdicts.verdict(id);
      check(name, "latency batch " + id + " completed", verdict.status() == BatchStatus.COMPLETED ? 1 : 0, 1);
      latencies.add(verdict.seenMs() - sent - config.completionDelayMs());
    });
    latencies.sort(null);
    return new Measurement.Latency(latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1),
        latencies.size());
  }

  /**
   * Opens {@code trackerBatches} batches with one record each, measures heap and checkpoint size while all
   * are open, then sendCompletes them all and checks that each gets exactly the right verdict.
   */
  private TrackerScale trackerScale(String runner) throws Exception {
    int batches = config.trackerBatches();
    String name = runner + "-tracker";
    Path checkpoints = config.resultsDir().resolve("checkpoints").toAbsolutePath();
    List<String> extra = new ArrayList<>(List.of("--validator=passthrough"));
    if ("flink".equals(runner)) {
      extra.add("--stateBackend=filesystem");
      extra.add("--stateBackendStoragePath=" + checkpoints.toUri());
    }
    FlinkRest flink = flinkRest(runner, name);
    try (IngestStream stream = IngestStream.create(broker, name);
        TopicCounter out = new TopicCounter(broker.bootstrapServers(), stream.topics.output())) {
      byte[] body = Dataset.small(1).body(0);
      for (int b = 0; b < batches; b++) {
        stream.notify(IngestStream.started(IngestStream.batchId(name, b), stream.topics.input()));
      }
      for (int b = 0; b < batches; b++) {
        stream.send(IngestStream.batchId(name, b), body);
      }
      stream.flush();
      try (VerdictCollector verdicts = new VerdictCollector(broker.bootstrapServers(), stream.topics.notification());
          ChildJvm job = startJob(name, runner, stream, extra, flink)) {
        FlinkHealth.Watch watch = flink == null ? null : new FlinkHealth.Watch(flink);
        try {
          return measureTracker(name, runner, batches, checkpoints, stream, out, verdicts, job, watch);
        } catch (Exception | AssertionError e) {
          if (watch != null) {
            throw new IllegalStateException(e.getMessage() + "; " + watch.describe(), e);
          }
          throw e;
        }
      }
    }
  }

  private TrackerScale measureTracker(String name, String runner, int batches, Path checkpoints,
      IngestStream stream, TopicCounter out, VerdictCollector verdicts, ChildJvm job, FlinkHealth.Watch watch)
      throws Exception {
    out.await(batches, RUN_DEADLINE, job);
    say("%s: %,d batches open, each with its record on *.out", name, batches);
    long checkpointMib = "flink".equals(runner) ? newestCheckpointMib(checkpoints, job) : -1;
    long heapOpen = job.heapAfterGcMib();
    long start = System.currentTimeMillis();
    for (int b = 0; b < batches; b++) {
      String id = IngestStream.batchId(name, b);
      stream.notify(IngestStream.sendCompleted(id, stream.topics.input(), 1));
    }
    stream.flush();
    verdicts.awaitTotal(batches, RUN_DEADLINE, job);
    double seconds = (System.currentTimeMillis() - start) / 1000.0;
    FlinkHealth health = watch == null ? null : watch.read();
    TrackerScale t = new TrackerScale(runner, batches, heapOpen, checkpointMib, seconds,
        verdicts.count(BatchStatus.COMPLETED), verdicts.count(BatchStatus.FAILED), job.peakRssMib(), health);
    say("%s: heap %d MiB with all open, checkpoint %d MiB, all %,d verdicts in %.1f s (%,d completed,"
        + " %,d failed)%s", name, t.heapOpenMib(), checkpointMib, batches, seconds, t.completed(), t.failed(),
        healthText(health));
    return t;
  }

  /** The size of the newest completed checkpoint, once one was taken after every batch was in state. */
  private static long newestCheckpointMib(Path root, ChildJvm job) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    int first = -1;
    while (System.currentTimeMillis() < deadline) {
      job.checkAlive();
      Path newest = newestCompletedCheckpoint(root);
      int number = newest == null ? -1 : Integer.parseInt(newest.getFileName().toString().substring(4));
      if (first < 0) {
        first = number;
      } else if (number >= first + 2) {
        return sizeOf(newest) / (1024 * 1024);
      }
      Thread.sleep(200); // checkpoints are taken every second; the deadline bounds the wait
    }
    return -1;
  }

  /** The chk-N directory with the highest N that has its _metadata (Flink writes that last). */
  private static Path newestCompletedCheckpoint(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> files = Files.walk(root, 3)) {
      return files.filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString().substring(4))))
          .orElse(null);
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private IngestStream load(String name, Dataset data) {
    IngestStream stream = IngestStream.create(broker, name);
    stream.load(data, config.batches(), name);
    return stream;
  }

  /** For a Flink run, the REST endpoint its embedded cluster will have; null for other runners. */
  private FlinkRest flinkRest(String runner, String name) {
    return "flink".equals(runner) ? FlinkRest.configure(logs.resolve(name + "-flink-conf")) : null;
  }

  private static String healthText(FlinkHealth health) {
    return health == null ? "" : "; %d failed checkpoints, %d restarts (%d failed while starting)".formatted(
        health.failedCheckpoints(), health.restarts(), health.startupFailed());
  }

  private ChildJvm startJob(String name, String runner, IngestStream stream, List<String> extra, FlinkRest flink)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "--brokers=" + broker.bootstrapServers(), "--input=" + stream.topics.input(), "--standalone",
        "--batchCompletionDelay=" + config.completionDelayMs(), "--kafkaProperties=auto.offset.reset=earliest"));
    args.addAll(extra);
    args.addAll(config.jobArgs());
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + config.jobHeap()));
    jvm.addAll(config.jobJvm());
    if ("flink".equals(runner)) {
      jvm.addAll(ChildJvm.FLINK_JAVA17_OPTS);
      args.addAll(List.of("--flinkMaster=[local]", "--parallelism=2", flink.confDirArg()));
      // The job jar leaves logging to the cluster; embedded, it would have none, so lend it the bench's binding.
      String classpath = config.flinkJar() + File.pathSeparator + slf4jBinding();
      return ChildJvm.start(name, jvm, classpath, "org.hri.runners.flink.FlinkJob", args, logs);
    }
    return ChildJvm.start(name, jvm, config.directClasspath(), "org.hri.runners.direct.DirectJob", args, logs);
  }

  private static String slf4jBinding() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.contains("slf4j-simple"))
        .findFirst()
        .orElse("");
  }

  private static void check(String run, String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(run + ": " + what + " " + actual + ", expected " + expected);
    }
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(cpu);
    } catch (IOException e) {
      // keep "unknown"
    }
    return String.format("%d cores (%s), %d GiB RAM, Java %s", Runtime.getRuntime().availableProcessors(), cpu,
        totalMemoryGib(), System.getProperty("java.version"));
  }

  private static long totalMemoryGib() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024)) : -1;
  }

  private static void say(String format, Object... args) {
    System.out.println("bench: " + String.format(format, args));
  }
}

package org.hri.local.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.local.tools.KafkaTool;
import org.hri.local.tools.KafkaClientSettings;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Live progress of the integrator tool's batches, for the quickstart: follows a stream's four topics from the
 * beginning and prints one line per change of a batch whose name is one of the files in {@code <folder>/in/}
 * when it starts (the integrator names each batch after its file): every status change at once (from
 * {@code *.notification}), and the records counted so far on {@code *.in}, {@code *.out} and {@code *.invalid}
 * (by their {@code batchId} header) at most once per interval. Lines start with the seconds since the first
 * line. Only counts, statuses and failure messages are printed, never record content.
 *
 * <p>Once {@code --doneFile} exists (the integrator has exited), it reads every topic to its end, prints the last
 * changes and a summary table built from the integrator's {@code <file>.status.json} files in
 * {@code processed/} and {@code failed/}, and writes the same table as tab-separated values to
 * {@code --summaryFile} (columns: file, batchId, status, records, valid, invalid, seconds, out, invalidTopic;
 * {@code -} for none). Exit code 0, or 1 when {@code --timeout} passed first, 2 for a usage error.
 */
public final class ProgressMonitor {
  private static final String STATUS_SUFFIX = ".status.json";
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /** Records of one batch id seen on the three record topics. */
  private static final class Counts {
    long in;
    long out;
    long invalid;

    boolean same(Counts other) {
      return in == other.in && out == other.out && invalid == other.invalid;
    }

    Counts copy() {
      Counts c = new Counts();
      c.in = in;
      c.out = out;
      c.invalid = invalid;
      return c;
    }
  }

  /** A batch being watched. */
  private static final class Watched {
    final String id;
    final String name;
    BatchStatus status;
    Counts printed = new Counts();
    long printedAt;

    Watched(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  private final TopicNames topics;
  private final Map<String, Object> clientConfig;
  private final Path folder;
  private final Path doneFile;
  private final Path summaryFile;
  private final Duration timeout;
  private final Duration interval;
  private final PrintStream out;
  private final long start = System.nanoTime();
  private long origin = -1; // the first line's time: the clock of the lines starts there
  private final Map<String, Counts> counts = new HashMap<>();
  private final Map<String, Watched> watched = new LinkedHashMap<>();
  private Set<String> names = Set.of();
  private int nameWidth = 20;

  ProgressMonitor(TopicNames topics, Map<String, Object> clientConfig, Path folder, Path doneFile, Path summaryFile,
      Duration timeout, Duration interval, PrintStream out) {
    this.topics = topics;
    this.clientConfig = Map.copyOf(clientConfig);
    this.folder = folder;
    this.doneFile = doneFile;
    this.summaryFile = summaryFile;
    this.timeout = timeout;
    this.interval = interval;
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new Command().execute(args, System.out, System.err));
  }

  /** The command line; a separate class, as the monitor's own fields are final. */
  @picocli.CommandLine.Command(name = "ProgressMonitor",
      description = "Prints each change of the batches named after DIR/in's files until FILE exists, then a summary.",
      exitCodeList = {"0:the summary was printed", "1:--timeout passed first, or an error", "2:usage error"})
  static final class Command extends KafkaTool {
    @Option(names = "--folder", required = true, paramLabel = "DIR", description = "the integrator's folder")
    private Path folder;

    @Option(names = "--doneFile", required = true, paramLabel = "FILE",
        description = "exists once the integrator has exited")
    private Path doneFile;

    @Option(names = "--summaryFile", paramLabel = "FILE", description = "the summary as tab-separated values")
    private Path summaryFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this many seconds (default 600)")
    private Long timeout;

    @Option(names = "--interval", paramLabel = "MILLIS",
        description = "milliseconds between two count lines of a batch (default 1000)")
    private Long interval;

    @Mixin private KafkaTool.Stream stream;

    @Override
    public Integer call() {
      TopicNames topics = topics(stream.input);
      if (!Files.isDirectory(folder.resolve("in"))) {
        throw usage("Folder " + folder + " has no in/ folder");
      }
      ProgressMonitor monitor = new ProgressMonitor(topics, KafkaClientSettings.base(stream.brokers, null, Map.of()),
          folder, doneFile, summaryFile, Duration.ofSeconds(atLeast("--timeout", timeout, 600, 1)),
          Duration.ofMillis(atLeast("--interval", interval, 1000, 0)), out);
      try {
        return monitor.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      } catch (Exception e) {
        err.println("progress: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        return 1;
      }
    }
  }

  /** Follows the topics until the done file appears, then prints the summary; returns the exit code. */
  int run() throws IOException, InterruptedException {
    names = fileNames(folder.resolve("in"));
    nameWidth = Math.max(nameWidth, names.stream().mapToInt(String::length).max().orElse(0));
    long deadline = start + timeout.toNanos();
    boolean finished = false;
    try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
      assign(consumer, deadline);
      while (System.nanoTime() < deadline) {
        if (Files.exists(doneFile)) {
          drain(consumer);
          finished = true;
          break;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          handle(record);
        }
        printCounts(false);
      }
    }
    printCounts(true);
    if (!finished) {
      out.println("progress: gave up after " + timeout.toSeconds() + " s");
    }
    printSummary();
    out.flush();
    return finished ? 0 : 1;
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) {
    if (record.topic().equals(topics.notification())) {
      notification(record);
      return;
    }
    String batchId = batchIdOf(record);
    if (batchId == null) {
      return;
    }
    Counts c = counts.computeIfAbsent(batchId, k -> new Counts());
    if (record.topic().equals(topics.input())) {
      c.in++;
    } else if (record.topic().equals(topics.output())) {
      c.out++;
    } else {
      c.invalid++;
    }
  }

  private void notification(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    BatchNotification n;
    try {
      n = BatchNotification.fromJson(record.value());
    } catch (IOException | RuntimeException e) {
      return; // not a notification of the HRI schema
    }
    Watched w = watched.get(n.id());
    if (w == null) {
      if (n.name() == null || !names.contains(n.name())) {
        return; // another batch of the stream, e.g. the quickstart's readiness probe
      }
      w = new Watched(n.id(), n.name());
      watched.put(n.id(), w);
    }
    if (w.status == null || (n.status() != w.status && n.status().supersedes(w.status))) {
      w.status = n.status();
      line(w, "status " + n.status().json() + details(n));
    }
  }

  private static String details(BatchNotification n) {
    return switch (n.status()) {
      case STARTED -> " (batch " + n.id() + ")";
      case SEND_COMPLETED -> n.expectedCount() == null ? "" : " (expected " + n.expectedCount() + ")";
      case COMPLETED -> n.actualRecordCount() == null
          ? " (no validation counts)"
          : " (actual " + n.actualRecordCount() + ", invalid "
              + (n.invalidRecordCount() == null ? 0 : n.invalidRecordCount()) + ")";
      case FAILED -> n.failureMessage() == null ? "" : ": " + n.failureMessage();
      case TERMINATED -> "";
    };
  }

  /** A count line for every watched batch whose counts changed (at most one per interval unless forced). */
  private void printCounts(boolean force) {
    long now = System.nanoTime();
    for (Watched w : watched.values()) {
      Counts c = counts.getOrDefault(w.id, new Counts());
      if (!c.same(w.printed) && (force || now - w.printedAt >= interval.toNanos())) {
        line(w, "");
      }
    }
  }

  private void line(Watched w, String event) {
    Counts c = counts.getOrDefault(w.id, new Counts());
    if (origin < 0) {
      origin = System.nanoTime();
    }
    out.println(String.format(Locale.ROOT, "[%5.1fs] %-" + nameWidth + "s  in %4d  out %4d  invalid %3d%s",
        (System.nanoTime() - origin) / 1e9, w.name, c.in, c.out, c.invalid, event.isEmpty() ? "" : "  " + event));
    out.flush();
    w.printed = c.copy();
    w.printedAt = System.nanoTime();
  }

  // -----------------------------------------------------------------------------------------------------------
  // Summary

  private record Row(String file, String batchId, String status, Long records, Long valid, Long invalid,
      Double seconds, long out, long invalidTopic) {}

  private void printSummary() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String dir : List.of("processed", "failed")) {
      for (Path statusFile : statusFiles(folder.resolve(dir))) {
        rows.add(row(statusFile));
      }
    }
    rows.sort((a, b) -> a.file().compareTo(b.file()));
    int width = Math.max("file".length(), rows.stream().mapToInt(r -> r.file().length()).max().orElse(0));
    String format = "%-" + width + "s  %7s  %6s  %7s  %-11s  %10s  %7s  %11s";
    out.println();
    out.println(String.format(Locale.ROOT, format, "file", "records", "valid", "invalid", "status", "to verdict",
        "on .out", "on .invalid"));
    for (Row r : rows) {
      out.println(String.format(Locale.ROOT, format, r.file(), text(r.records()), text(r.valid()), text(r.invalid()),
          r.status(), r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f s", r.seconds()), r.out(),
          r.invalidTopic()));
    }
    if (rows.isEmpty()) {
      out.println("(no status files in " + folder.resolve("processed") + " or " + folder.resolve("failed") + ")");
    }
    out.println();
    if (summaryFile != null) {
      StringBuilder tsv = new StringBuilder();
      for (Row r : rows) {
        tsv.append(String.join("\t", r.file(), r.batchId() == null ? "-" : r.batchId(), r.status(),
            text(r.records()), text(r.valid()), text(r.invalid()),
            r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.seconds()),
            Long.toString(r.out()), Long.toString(r.invalidTopic()))).append('\n');
      }
      Files.writeString(summaryFile, tsv.toString(), StandardCharsets.UTF_8);
    }
  }

  private Row row(Path statusFile) throws IOException {
    String file = statusFile.getFileName().toString();
    file = file.substring(0, file.length() - STATUS_SUFFIX.length());
    JsonNode s = Json.mapper().readTree(statusFile.toFile());
    String batchId = textOrNull(s.get("batchId"));
    Long records = longOrNull(s.get("expectedRecordCount"));
    Long actual = longOrNull(s.get("actualRecordCount"));
    Long invalid = longOrNull(s.get("invalidRecordCount"));
    Long valid = actual == null ? null : actual - (invalid == null ? 0 : invalid);
    JsonNode seconds = s.get("seconds");
    Counts c = batchId == null ? new Counts() : counts.getOrDefault(batchId, new Counts());
    return new Row(file, batchId, textOrNull(s.get("status")), records, valid, invalid,
        seconds == null || !seconds.isNumber() ? null : seconds.asDouble(), c.out, c.invalid);
  }

  private static String text(Long value) {
    return value == null ? "-" : value.toString();
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Long longOrNull(JsonNode node) {
    return node == null || !node.canConvertToLong() ? null : node.asLong();
  }

  private static List<Path> statusFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(STATUS_SUFFIX)
          && !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  private static Set<String> fileNames(Path in) throws IOException {
    try (Stream<Path> entries = Files.list(in)) {
      Set<String> names = new TreeSet<>();
      entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(names::add);
      return names;
    }
  }

  // -----------------------------------------------------------------------------------------------------------
  // Kafka

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hri-quickstart-progress");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(c);
  }

  /** Assigns every partition of the four topics from the beginning, once they exist. */
  private void assign(KafkaConsumer<byte[], byte[]> consumer, long deadline) throws InterruptedException {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.notification(), topics.input(), topics.output(), topics.invalid())) {
      while (true) {
        List<PartitionInfo> infos;
        try {
          infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (TimeoutException e) {
          infos = null;
        }
        if (infos != null && !infos.isEmpty()) {
          infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + topic + " does not exist");
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads every assigned partition up to its end offset as of now. */
  private void drain(KafkaConsumer<byte[], byte[]> consumer) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && !reached(consumer, end)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        handle(record);
      }
    }
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static String batchIdOf(ConsumerRecord<byte[], byte[]> record) {
    Header h = record.headers().lastHeader("batchId");
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}

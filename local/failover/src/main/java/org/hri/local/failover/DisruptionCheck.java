package org.hri.local.failover;

import static org.hri.local.failover.FailoverCheck.say;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.local.integrator.BatchApiClient;
import org.hri.local.mgmt.LocalManagementApi;
import org.hri.pipeline.kafka.WriterFaults;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;

/**
 * The {@code tm-kill} and {@code broker-restart} scenarios of {@code scripts/flink-failover-test}: several
 * batches sent interleaved (each batch over an overlapping stretch of the stream, every tenth record malformed
 * JSON), each batch's {@code sendComplete} made as soon as its last record is acknowledged, while the cluster
 * is hit again and again:
 *
 * <ul>
 *   <li>{@code tm-kill}: the TaskManager killed with SIGKILL and a new one started, {@code --kills} times, each
 *       kill at a random moment after the job has all its tasks RUNNING again;
 *   <li>{@code broker-restart}: the Kafka broker killed with SIGKILL mid-batch and started again on the same
 *       port and data directory, {@code --kills} times;
 *   <li>{@code writer-faults}: no kill, but the job's {@code *.out} writer fails once in each window of its
 *       transaction protocol ({@code --injectWriterFaults}): after sending, before committing, after committing.
 * </ul>
 *
 * The records are sent in {@code kills + 1} chunks: a chunk starts once the job runs again after the previous
 * failure, and the next failure hits at a random moment between the chunk's start and a few seconds after its
 * end. All random choices come from {@code --seed} (printed), so a failing plan can be replayed; the timing of
 * the cluster itself cannot be.
 *
 * <p>Afterwards every valid record must be on {@code *.out} exactly once and every invalid one on
 * {@code *.invalid} exactly once (read {@code read_committed}), every batch {@code completed} with exact
 * counts, each batch's notifications exactly {@code [started, sendCompleted, completed]}, no {@code fail} call,
 * and the job RUNNING. {@code tm-kill} also needs at least one restart per kill (Flink's {@code numRestarts}).
 */
final class DisruptionCheck {
  /**
   * The cluster's restart strategy (scripts/flink) allows 10 failures in 5 minutes: the 10th failure within 5
   * minutes of the first fails the job. Kills are spaced so that no 10 fall within this span (5 minutes plus
   * a margin for the failure being noticed later than it happened).
   */
  private static final Duration RESTART_RATE_SPAN = Duration.ofSeconds(330);
  private static final int RESTART_RATE_MAX = 10;
  private static final Duration RUNNING_DEADLINE = Duration.ofMinutes(3);
  private static final Duration VERDICT_DEADLINE = Duration.ofMinutes(5);
  private static final Duration SEND_COMPLETE_DEADLINE = Duration.ofMinutes(2);
  /** The sending rate within a chunk: well below what the job takes on this machine, so it keeps up. */
  private static final int RECORDS_PER_SECOND = 2_500;
  /** The windows of the writer's protocol, as the files the injected failures leave. */
  private static final List<String> WRITER_STEPS =
      Arrays.stream(WriterFaults.Step.values()).map(Enum::name).toList();

  private final FailoverCheck harness;
  private final String scenario;
  private final int records;
  private final int batches;
  private final int kills;
  private final long seed;
  private final String kafkaDir;
  private final String kafkaPort;
  private final Random random;

  private final String[] ids;
  private final int[] perBatch;
  private final int[] invalidPerBatch;
  /** Keys of the valid records; partition@offset of the invalid ones, with their batch index. */
  private final Set<String> outExpected = new HashSet<>();
  private final Map<String, Integer> invalidExpected = new ConcurrentHashMap<>();
  private final List<Instant> killTimes = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final AtomicReference<Throwable> senderFailure = new AtomicReference<>();

  DisruptionCheck(FailoverCheck harness, String scenario, int records, int batches, int kills, long seed,
      String kafkaDir, String kafkaPort) {
    if (batches < 1 || records < batches * 10) {
      throw new IllegalArgumentException("--batches must be at least 1 and --records at least 10 per batch");
    }
    if (kills < 0) {
      throw new IllegalArgumentException("--kills must not be negative");
    }
    this.harness = harness;
    this.scenario = scenario;
    this.records = records;
    this.batches = batches;
    this.kills = kills;
    this.seed = seed;
    this.kafkaDir = kafkaDir;
    this.kafkaPort = kafkaPort;
    this.random = new Random(seed);
    this.ids = new String[batches];
    this.perBatch = new int[batches];
    this.invalidPerBatch = new int[batches];
    for (int b = 0; b < batches; b++) {
      perBatch[b] = records / batches + (b < records % batches ? 1 : 0);
      invalidPerBatch[b] = perBatch[b] / 10; // records 9, 19, 29, ... of each batch
    }
  }

  boolean run() throws Exception {
    Instant started = Instant.now();
    TopicNames topics = TopicNames.forInput("ingest." + FailoverCheck.TENANT + "."
        + scenario.replace("-", "") + UUID.randomUUID().toString().substring(0, 6) + ".in");
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", harness.brokers))) {
      admin.createTopics(List.of(
          new NewTopic(topics.input(), 2, (short) 1), new NewTopic(topics.output(), 2, (short) 1),
          new NewTopic(topics.notification(), 1, (short) 1), new NewTopic(topics.invalid(), 1, (short) 1)))
          .all().get();
    }
    String jobId = null;
    try (LocalManagementApi api = harness.startApi();
        OutageProxy proxy = new OutageProxy("http://127.0.0.1:" + api.port())) {
      say("scenario %s: seed %d (replay with --seed=%d), %d records in %d batches on %s, %d %s", scenario, seed,
          seed, records, batches, topics.input(), kills,
          scenario.equals("tm-kill") ? "TaskManager kills (SIGKILL)" : "broker kills (SIGKILL) and restarts");
      jobId = scenario.equals("writer-faults")
          ? harness.submitJob(topics, proxy, "--injectWriterFaults=" + faultDirectory())
          : harness.submitJob(topics, proxy);
      BatchApiClient integrator = FailoverCheck.integrator(api);
      for (int b = 0; b < batches; b++) {
        ids[b] = integrator.createBatch("failover-" + scenario + "-" + b, topics.input(), "claims", -1, null);
      }
      say("batches created: %s", Arrays.toString(ids));

      int[][] order = interleave();
      Instant sendStart = Instant.now();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig())) {
        if (!scenario.equals("broker-restart")) {
          killTaskManagers(jobId, producer, integrator, topics.input(), order);
        } else {
          restartBroker(producer, integrator, topics.input(), order);
        }
      }
      say("%d records sent in %d s (%d malformed), every sendComplete made", records,
          Duration.between(sendStart, Instant.now()).toSeconds(), Arrays.stream(invalidPerBatch).sum());

      BatchNotification[] verdicts = awaitVerdicts(integrator);
      return check(topics, jobId, integrator, verdicts, proxy.calls(), started);
    } finally {
      harness.cancel(jobId);
    }
  }

  /**
   * tm-kill: the records in kills + 1 chunks; chunk n starts once the job runs again after kill n, and kill n + 1
   * hits at a random moment from the chunk's start to 4 s after its end.
   */
  private void killTaskManagers(String jobId, KafkaProducer<byte[], byte[]> producer, BatchApiClient integrator,
      String topic, int[][] order) throws Exception {
    int chunks = kills + 1;
    int[] sent = new int[batches];
    for (int chunk = 0; chunk < chunks; chunk++) {
          int from = (int) ((long) order.length * chunk / chunks);
          int to = (int) ((long) order.length * (chunk + 1) / chunks);
      if (chunk > 0) {
        awaitRunningSince(jobId, killTimes.get(chunk - 1));
      }
      Duration chunkTime = Duration.ofMillis(Math.max(1_000, 1_000L * (to - from) / RECORDS_PER_SECOND));
      Thread sender = new Thread(() -> send(producer, integrator, topic, order, from, to, sent, chunkTime), "sender");
      sender.start();
      if (chunk < kills) {
        long delay = 250 + (long) (random.nextDouble() * (chunkTime.toMillis() + 4_000));
        Thread.sleep(delay);
        respectRestartRate();
        Instant at = Instant.now();
        killTimes.add(at);
        say("kill %d/%d: %d ms into chunk %d (%d s after the first kill)", chunk + 1, kills, delay, chunk,
            Duration.between(killTimes.get(0), at).toSeconds());
        harness.flink("kill-tm");
        harness.flink("start-tm");
      }
      joinSender(sender);
    }
  }

  /**
   * broker-restart: all records sent in one stream over at least 30 s while the broker is killed and started
   * again, kill n at a random moment within the n-th of kills equal parts of the middle 60 % of the sending;
   * the broker stays down 1 to 5 s (random) before it is started. The producer holds and retries what it cannot
   * send meanwhile; sendComplete is retried while the API cannot write to Kafka.
   */
  private void restartBroker(KafkaProducer<byte[], byte[]> producer, BatchApiClient integrator, String topic,
      int[][] order) throws Exception {
    Duration pace = Duration.ofMillis(Math.max(30_000, 1_000L * order.length / (RECORDS_PER_SECOND / 5)));
    int[] sent = new int[batches];
    Instant start = Instant.now();
    Thread sender = new Thread(() -> send(producer, integrator, topic, order, 0, order.length, sent, pace), "sender");
    sender.start();
    for (int n = 0; n < kills; n++) {
      double part = 0.6 / kills;
      long at = (long) (pace.toMillis() * (0.2 + part * (n + random.nextDouble())));
      long wait = Duration.between(Instant.now(), start.plusMillis(at)).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      Instant killed = Instant.now();
      killTimes.add(killed);
      int acknowledged = Arrays.stream(sent).sum();
      say("broker kill %d/%d: %d ms into the sending, about %d of %d records handed to the producer", n + 1, kills,
          Duration.between(start, killed).toMillis(), acknowledged, records);
      kafka("kill");
      long down = 1_000 + (long) (random.nextDouble() * 4_000);
      Thread.sleep(down);
      kafka("start");
      say("broker started again %d ms after the kill (down at least %d ms; same port %s, same data directory)",
          Duration.between(killed, Instant.now()).toMillis(), down, kafkaPort);
    }
    joinSender(sender);
  }

  private void joinSender(Thread sender) throws InterruptedException {
    sender.join();
    if (senderFailure.get() != null) {
      throw new IllegalStateException("sending failed", senderFailure.get());
    }
  }

  /**
   * The order in which records are sent, as {batch, index} pairs: batch b is spread evenly over the stretch
   * [b, b + 2) of a stream divided into batches + 1 parts, so two batches are in flight at most times.
   */
  private int[][] interleave() {
    List<double[]> all = new ArrayList<>(records);
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < perBatch[b]; i++) {
        all.add(new double[] {(b + 2.0 * i / perBatch[b]) / (batches + 1), b, i});
      }
    }
    all.sort((x, y) -> Double.compare(x[0], y[0]));
    int[][] order = new int[all.size()][];
    for (int n = 0; n < order.length; n++) {
      order[n] = new int[] {(int) all.get(n)[1], (int) all.get(n)[2]};
    }
    return order;
  }

  private Map<String, Object> producerConfig() {
    return Map.of(
        "bootstrap.servers", harness.brokers, "acks", "all", "enable.idempotence", true, "compression.type", "zstd",
        "linger.ms", 5, "delivery.timeout.ms", 300_000, "request.timeout.ms", 30_000,
        "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class);
  }

  /**
   * Sends order[from, to) over about {@code pace}; a batch's sendComplete is made once its last record is
   * acknowledged. Waits for every acknowledgement of the chunk before it returns. sent[b] counts the records of
   * batch b handed to the producer.
   */
  private void send(KafkaProducer<byte[], byte[]> producer, BatchApiClient integrator, String topic, int[][] order,
      int from, int to, int[] sent, Duration pace) {
    try {
      Instant start = Instant.now();
      Map<Future<RecordMetadata>, Integer> invalid = new HashMap<>();
      int step = 100;
      for (int n = from; n < to; n++) {
        int b = order[n][0];
        int i = order[n][1];
        boolean bad = i % 10 == 9;
        String key = "b" + b + "-" + i;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
            key.getBytes(StandardCharsets.UTF_8),
            (bad ? "not json " + i : "{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        record.headers().add("batchId", ids[b].getBytes(StandardCharsets.UTF_8));
        Future<RecordMetadata> ack = producer.send(record);
        if (bad) {
          invalid.put(ack, b);
        } else {
          outExpected.add(key);
        }
        if (++sent[b] == perBatch[b]) {
          producer.flush();
          collect(invalid);
          sendComplete(integrator, b);
        }
        if ((n - from) % step == step - 1) {
          producer.flush();
          long due = pace.toMillis() * (n - from + 1) / (to - from);
          long ahead = due - Duration.between(start, Instant.now()).toMillis();
          if (ahead > 0) {
            Thread.sleep(ahead);
          }
        }
      }
      producer.flush();
      collect(invalid);
    } catch (Throwable e) {
      senderFailure.compareAndSet(null, e);
    }
  }

  private void collect(Map<Future<RecordMetadata>, Integer> invalid) throws Exception {
    for (Map.Entry<Future<RecordMetadata>, Integer> e : invalid.entrySet()) {
      RecordMetadata m = e.getKey().get();
      invalidExpected.put(m.partition() + "@" + m.offset(), e.getValue());
    }
    invalid.clear();
  }

  /**
   * sendComplete for batch b, as an integrator would make it: retried while the API cannot reach Kafka (in
   * broker-restart), unless a read shows it was made after all.
   */
  private void sendComplete(BatchApiClient integrator, int b) throws Exception {
    Instant deadline = Instant.now().plus(SEND_COMPLETE_DEADLINE);
    while (true) {
      try {
        integrator.sendComplete(ids[b], perBatch[b], null);
        say("batch %d: all %d records acknowledged, sendComplete made", b, perBatch[b]);
        return;
      } catch (Exception e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        say("batch %d: sendComplete failed (%s), retrying", b, e.getClass().getSimpleName());
        Thread.sleep(1_000);
        try {
          if (integrator.getBatch(ids[b]).status() != BatchStatus.STARTED) {
            say("batch %d: sendComplete had been made", b);
            return;
          }
        } catch (Exception ignored) {
          // the API still cannot answer: try again
        }
      }
    }
  }

  /** Waits, if need be, so that this kill is not the 10th within the restart strategy's span. */
  private void respectRestartRate() throws InterruptedException {
    if (!scenario.equals("tm-kill") || killTimes.size() < RESTART_RATE_MAX - 1) {
      return;
    }
    Instant allowed = killTimes.get(killTimes.size() - (RESTART_RATE_MAX - 1)).plus(RESTART_RATE_SPAN);
    if (Instant.now().isBefore(allowed)) {
      long wait = Duration.between(Instant.now(), allowed).toMillis();
      say("kill %d waits %d s more: the cluster's restart strategy allows only 9 failures in 5 minutes",
          killTimes.size() + 1, wait / 1000);
      Thread.sleep(wait);
    }
  }

  private void kafka(String command) throws Exception {
    int exit = new ProcessBuilder(harness.root.resolve("scripts/kafka").toString(), command, "--port", kafkaPort,
        "--dir", kafkaDir).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("scripts/kafka " + command + " failed (exit " + exit + ")");
    }
  }

  /**
   * Waits until the job is RUNNING with every task RUNNING in an attempt started after {@code since}: restarted
   * after the kill at {@code since}. (Right after a kill Flink still shows the old attempts RUNNING until it
   * notices the TaskManager is gone.)
   */
  private void awaitRunningSince(String jobId, Instant since) throws Exception {
    Instant deadline = Instant.now().plus(RUNNING_DEADLINE);
    while (true) {
      JsonNode job = Json.mapper().readTree(FailoverCheck.get(harness.flinkUrl("/jobs/" + jobId)));
      boolean running = job.path("state").asText().equals("RUNNING") && job.path("vertices").size() > 0;
      for (JsonNode vertex : job.path("vertices")) {
        running &= vertex.path("status").asText().equals("RUNNING")
            && vertex.path("start-time").asLong(0) > since.toEpochMilli();
      }
      if (running) {
        say("job running again %d ms after the failure", Duration.between(since, Instant.now()).toMillis());
        return;
      }
      if (job.path("state").asText().equals("FAILED") || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the job is not running again within " + RUNNING_DEADLINE.toMinutes()
            + " minutes after the failure: state " + job.path("state").asText());
      }
      Thread.sleep(250);
    }
  }

  private BatchNotification[] awaitVerdicts(BatchApiClient integrator) throws Exception {
    Instant deadline = Instant.now().plus(VERDICT_DEADLINE);
    BatchNotification[] verdicts = new BatchNotification[batches];
    while (true) {
      boolean all = true;
      for (int b = 0; b < batches; b++) {
        if (verdicts[b] == null) {
          BatchNotification batch = integrator.getBatch(ids[b]);
          if (batch.status().isFinal()) {
            verdicts[b] = batch;
          } else {
            all = false;
          }
        }
      }
      if (all) {
        return verdicts;
      }
      if (Instant.now().isAfter(deadline)) {
        failed.add("verdicts: not all final within " + VERDICT_DEADLINE.toMinutes() + " minutes");
        for (int b = 0; b < batches; b++) {
          if (verdicts[b] == null) {
            verdicts[b] = integrator.getBatch(ids[b]);
          }
        }
        return verdicts;
      }
      Thread.sleep(1_000);
    }
  }

  private boolean check(TopicNames topics, String jobId, BatchApiClient integrator, BatchNotification[] verdicts,
      List<OutageProxy.Call> calls, Instant started) throws Exception {
    // *.out: every valid record exactly once, nothing else. The last transactions may commit after the verdict.
    FailoverCheck.OutputTally out = harness.tallyOutput(topics, outExpected, Duration.ofSeconds(60));
    say("*.out read_committed: %s", out);
    expect("*.out exactly the valid records, once", out.exact());

    // *.invalid: every malformed record's notice exactly once, with its batch id.
    Map<String, Integer> seen = new HashMap<>();
    int unexpected = 0;
    int wrongBatch = 0;
    for (FailoverCheck.Notice found : harness.invalidNotices(topics.invalid(), seen)) {
      JsonNode notice = found.json();
      Integer b = invalidExpected.get(found.at());
      if (b == null || !notice.path("topic").asText().equals(topics.input())) {
        unexpected++;
      } else if (!ids[b].equals(notice.path("batchId").asText(null))
          || !notice.path("failure").asText("").startsWith("Invalid JSON: ")) {
        wrongBatch++;
      }
    }
    int invalidDuplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
    long invalidLost = invalidExpected.keySet().stream().filter(k -> !seen.containsKey(k)).count();
    say("*.invalid read_committed: %d notices, %d distinct, expected %d; duplicates %d, lost %d, unexpected %d, "
        + "wrong batch or failure %d", seen.values().stream().mapToInt(Integer::intValue).sum(), seen.size(),
        invalidExpected.size(), invalidDuplicates, invalidLost, unexpected, wrongBatch);
    expect("*.invalid exactly the malformed records, once",
        invalidDuplicates == 0 && invalidLost == 0 && unexpected == 0 && wrongBatch == 0);

    // The verdicts and the notifications.
    Map<String, List<String>> statuses = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : harness.readCommitted(topics.notification())) {
      BatchNotification n = BatchNotification.fromJson(r.value());
      statuses.computeIfAbsent(n.id(), id -> new ArrayList<>()).add(n.status().toString());
    }
    int completed = 0;
    for (int b = 0; b < batches; b++) {
      BatchNotification v = verdicts[b];
      List<String> got = statuses.getOrDefault(ids[b], List.of());
      boolean ok = v.status() == BatchStatus.COMPLETED && Long.valueOf(perBatch[b]).equals(v.actualRecordCount())
          && Long.valueOf(invalidPerBatch[b]).equals(v.invalidRecordCount())
          && got.equals(List.of("started", "sendCompleted", "completed"));
      completed += ok ? 1 : 0;
      say("batch %d (%s): %s, actualRecordCount %s, invalidRecordCount %s (expected completed %d/%d), "
          + "notifications %s", b, ids[b], v.status(), v.actualRecordCount(), v.invalidRecordCount(), perBatch[b],
          invalidPerBatch[b], got);
      expect("batch " + b, ok);
    }
    long completeCalls = calls.stream().filter(c -> c.path().endsWith("/action/processingComplete")).count();
    long failCalls = calls.stream().filter(c -> c.path().endsWith("/action/fail")).count();
    say("Management API calls from the job: processingComplete %d, fail %d", completeCalls, failCalls);
    expect("no fail call", failCalls == 0);

    // Flink: the job still RUNNING, and how often it restarted.
    // A restart after the last injected failure may still be under way: wait for it, up to 2 minutes.
    String state = "?";
    for (Instant until = Instant.now().plusSeconds(120); ; Thread.sleep(1_000)) {
      state = Json.mapper().readTree(FailoverCheck.get(harness.flinkUrl("/jobs/" + jobId))).path("state").asText("?");
      if (state.equals("RUNNING") || Instant.now().isAfter(until)) {
        break;
      }
    }
    long restarts = harness.numRestarts(jobId);
    JsonNode exceptions = Json.mapper().readTree(FailoverCheck.get(harness.flinkUrl("/jobs/" + jobId + "/exceptions")));
    Map<String, Integer> causes = new TreeMap<>();
    for (JsonNode entry : exceptions.path("exceptionHistory").path("entries")) {
      causes.merge(entry.path("exceptionName").asText("?"), 1, Integer::sum);
    }
    JsonNode counts = Json.mapper()
        .readTree(FailoverCheck.get(harness.flinkUrl("/jobs/" + jobId + "/checkpoints"))).path("counts");
    long checkpointsFailed = counts.path("failed").asLong(-1);
    say("Flink job %s: state %s, numRestarts %d, exception history %s; checkpoints completed %d, failed %d, "
        + "restored %d", jobId, state, restarts, causes, counts.path("completed").asLong(-1), checkpointsFailed,
        counts.path("restored").asLong(-1));
    expect("job RUNNING", state.equals("RUNNING"));
    if (scenario.equals("tm-kill")) {
      expect("a restart for every kill", restarts >= killTimes.size());
    }
    if (scenario.equals("writer-faults")) {
      List<String> injected = new ArrayList<>();
      for (String step : WRITER_STEPS) {
        if (Files.exists(faultDirectory().resolve(step))) {
          injected.add(step);
        }
      }
      say("writer failures injected: %s", injected);
      expect("a failure injected at each step of the writer", injected.size() == WRITER_STEPS.size());
      expect("a restart for every injected failure", restarts >= injected.size());
    }

    long seconds = Duration.between(started, Instant.now()).toSeconds();
    boolean ok = failed.isEmpty();
    say("%s: %s", scenario, ok ? "every check passed" : "FAILED: " + String.join("; ", failed));
    System.out.printf(
        "RESULT scenario=%s seed=%d records=%d batches=%d kills=%d restarts=%d failedCheckpoints=%d completed=%d/%d "
            + "out=%d duplicates=%d lost=%d invalid=%d unexpected=%d seconds=%d ok=%s%n",
        scenario, seed, records, batches, killTimes.size(), restarts, checkpointsFailed, completed, batches,
        out.distinct(),
        out.duplicates() + invalidDuplicates, out.lost() + invalidLost, seen.size(), out.unexpected() + unexpected + wrongBatch,
        seconds, ok);
    return ok;
  }

  /** Where the job's writer records the failures it injected (the TaskManagers run on this machine). */
  private Path faultDirectory() throws IOException {
    Path directory = harness.root.resolve(".run/failover/writer-faults");
    Files.createDirectories(directory);
    return directory;
  }

  private void expect(String what, boolean ok) {
    if (!ok) {
      failed.add(what);
    }
  }
}

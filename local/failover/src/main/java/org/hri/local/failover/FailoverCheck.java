package org.hri.local.failover;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.local.integrator.BatchApiClient;
import org.hri.cli.Tool;
import org.hri.local.mgmt.LocalManagementApi;
import org.hri.local.mgmt.OAuthClient;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The failure test of the Flink job on a real session cluster (run by {@code scripts/flink-failover-test}). This
 * class runs {@code api-outage}: a batch of several thousand records in flight and the Management API answering
 * 503 for a minute around the verdict. Afterwards {@code *.out} and {@code *.invalid}, read
 * {@code read_committed}, must hold every record exactly once, the batch must be {@code completed} with exact
 * counts, and the Management API must have seen no conflicting status change. Exit code 0 when all holds.
 * {@code application-mode} runs the same check on one batch of a few hundred records with the job as a Flink
 * application ({@code scripts/flink application}: its {@code main} inside the JobManager), and also requires the
 * job RUNNING without a restart and its counters on the TaskManager's Prometheus endpoint.
 * {@code tm-kill} (repeated TaskManager kills) and {@code broker-restart} (the Kafka broker killed and started
 * again) are {@link DisruptionCheck}; {@code poison} (hostile input and API answers, no failure of the cluster)
 * is {@link PoisonCheck}. Both use this class's helpers.
 */
public final class FailoverCheck {
  static final String TENANT = "failover";
  static final String AUDIENCE = "hri-application";
  private static final Duration VERDICT_DEADLINE = Duration.ofMinutes(6);
  private static final String SCENARIOS =
      "tm-kill (default), api-outage, poison, broker-restart, writer-faults or application-mode";

  final String brokers;
  private final int records;
  private final String scenario;
  final Path root;
  private final int prometheusPort;
  final String flinkPort;
  private final String flinkDir;
  private final Options options;

  /** The command line, as scripts/flink-failover-test gives it. */
  @Command(name = "FailoverCheck",
      description = "One scenario of the Flink failure test (scripts/flink-failover-test runs them).",
      exitCodeList = {"0:everything held", "1:a check failed, or an error", "2:usage error"})
  static final class Options extends Tool {
    // One line each: what scripts/flink-failover-test passes, with its defaults.
    @Option(names = "--scenario", defaultValue = "tm-kill", description = SCENARIOS) String scenario;
    @Option(names = "--brokers", defaultValue = "127.0.0.1:9092", description = "the Kafka broker") String brokers;
    @Option(names = "--records", description = "records to send (default: by scenario)") Integer records;
    @Option(names = "--batches", description = "batches (tm-kill 5, the others 3)") Integer batches;
    @Option(names = "--kills", description = "kills (tm-kill 10, broker-restart 1)") Integer kills;
    @Option(names = "--seed", description = "the random plan's seed, to replay a run (default: random)") Long seed;
    @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "the project") Path root;
    @Option(names = "--flinkPort", defaultValue = "8081", description = "Flink's REST port") String flinkPort;
    @Option(names = "--flinkDir", description = "the cluster (default <root>/.run/flink)") String flinkDir;
    @Option(names = "--kafkaDir", description = "the broker (default <root>/.run/kafka)") String kafkaDir;
    @Option(names = "--prometheusPort", defaultValue = "9249", description = "first metrics port") int prometheusPort;

    @Override
    public Integer call() throws Exception {
      if (!Set.of("tm-kill", "api-outage", "poison", "broker-restart", "writer-faults", "application-mode")
          .contains(scenario)) {
        throw usage("--scenario must be " + SCENARIOS.replace(" (default)", ""));
      }
      return new FailoverCheck(this).run() ? 0 : 1;
    }
  }

  private FailoverCheck(Options options) {
    this.brokers = options.brokers;
    this.scenario = options.scenario;
    // The issue's numbers for tm-kill: at least 50,000 records in several batches and 10 TaskManager kills.
    this.records = options.records != null ? options.records : switch (scenario) {
      case "tm-kill" -> 50000;
      case "broker-restart" -> 15000;
      case "writer-faults" -> 10000;
      case "application-mode" -> 300;
      default -> 5000;
    };
    this.root = options.root.toAbsolutePath();
    this.prometheusPort = options.prometheusPort;
    this.flinkPort = options.flinkPort;
    this.flinkDir = options.flinkDir != null ? options.flinkDir : root.resolve(".run/flink").toString();
    this.options = options;
  }

  public static void main(String[] args) {
    System.exit(new Options().execute(args, System.out, System.err));
  }

  private boolean run() throws Exception {
    if (scenario.equals("poison")) {
      return new PoisonCheck(this).run();
    }
    if (scenario.equals("tm-kill") || scenario.equals("broker-restart") || scenario.equals("writer-faults")) {
      boolean tmKill = scenario.equals("tm-kill");
      long seed = options.seed != null ? options.seed : new java.security.SecureRandom().nextLong();
      int batches = options.batches != null ? options.batches : tmKill ? 5 : 3;
      int kills = options.kills != null ? options.kills : tmKill ? 10 : scenario.equals("writer-faults") ? 0 : 1;
      return new DisruptionCheck(this, scenario, records, batches, kills, seed,
          options.kafkaDir != null ? options.kafkaDir : root.resolve(".run/kafka").toString(),
          brokers.substring(brokers.lastIndexOf(':') + 1)).run();
    }
    TopicNames topics =
        TopicNames.forInput("ingest." + TENANT + "." + scenario.replace("-", "") + UUID.randomUUID().toString().substring(0, 6) + ".in");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers))) {
      admin.createTopics(List.of(
          new NewTopic(topics.input(), 2, (short) 1), new NewTopic(topics.output(), 2, (short) 1),
          new NewTopic(topics.notification(), 1, (short) 1), new NewTopic(topics.invalid(), 1, (short) 1)))
          .all().get();
    }
    LocalManagementApi api = startApi();
    String jobId = null;
    try (api; OutageProxy proxy = new OutageProxy("http://127.0.0.1:" + api.port())) {
      say("scenario %s: %d records on %s, Management API %s (behind a proxy at %s)", scenario, records, topics.input(),
          api.baseUrl(), proxy.origin());
      jobId = submitJob(topics, proxy);
      BatchApiClient integrator = integrator(api);
      String batchId = integrator.createBatch("failover-" + scenario, topics.input(), "claims", -1, null);
      say("batch %s created", batchId);
      int invalid = produce(topics.input(), batchId);
      if (scenario.equals("api-outage")) {
        proxy.outageFor(Duration.ofMinutes(1));
        say("the Management API answers the job 503 for the next 60 s");
      }
      integrator.sendComplete(batchId, records, null);
      say("sendComplete(%d) sent; waiting for the verdict", records);
      BatchNotification verdict = awaitVerdict(integrator, batchId);
      boolean ok = check(topics, batchId, verdict, records - invalid, invalid, proxy.calls());
      if (scenario.equals("application-mode")) {
        ok &= runsWithoutRestart(jobId);
      }
      return scenario.equals("api-outage") || scenario.equals("application-mode")
          ? ok & PrometheusScrape.findsCounters(prometheusPort, records - invalid)
          : ok;
    } finally {
      if (scenario.equals("application-mode")) {
        flink("stop"); // the application cluster is this scenario's own
      } else {
        cancel(jobId);
      }
    }
  }

  /** application-mode: the job still RUNNING on the application cluster, never restarted. */
  private boolean runsWithoutRestart(String jobId) throws Exception {
    String state =
        org.hri.pipeline.model.Json.mapper().readTree(get(flinkUrl("/jobs/" + jobId))).path("state").asText();
    long restarts = numRestarts(jobId);
    say("Flink application cluster: job %s %s, numRestarts %d", jobId, state, restarts);
    return state.equals("RUNNING") && restarts == 0;
  }

  /** The local Management API, with OAuth, for the integrator and the job's client. */
  LocalManagementApi startApi() throws IOException {
    return LocalManagementApi.start(
        LocalManagementApi.Config.builder()
            .port(0).bootstrapServers(brokers).validation(true).auth(true).audience(AUDIENCE)
            .client(OAuthClient.of("integrator", "integrator-secret", "tenant_" + TENANT, "hri_data_integrator", "hri_consumer"))
            .client(OAuthClient.of("validation-job", "job-secret", "tenant_" + TENANT, "hri_internal", "hri_consumer"))
            .build());
  }

  /** The integrator's client, straight to the API (not through the proxy). */
  static BatchApiClient integrator(LocalManagementApi api) throws IOException {
    return new BatchApiClient(api.baseUrl(), TENANT,
        new BatchApiClient.OAuth(api.oauthUrl(), "integrator", "integrator-secret", AUDIENCE), Duration.ofSeconds(30));
  }

  /** Cancels the job, if one was submitted. */
  void cancel(String jobId) throws Exception {
    if (jobId != null) {
      HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + flinkPort + "/jobs/" + jobId + "?mode=cancel"))
              .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /**
   * Runs the job on the session cluster ({@code scripts/flink submit}) or, in application-mode, starts an
   * application cluster with it ({@code scripts/flink application}); returns its id once it runs. The OAuth client
   * secret goes as a file reference, as in production.
   */
  String submitJob(TopicNames topics, OutageProxy proxy, String... moreOptions) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("scripts/flink").toString()));
    command.addAll(scenario.equals("application-mode")
        ? List.of("application", "--port", flinkPort, "--dir", flinkDir, "--prometheus", String.valueOf(prometheusPort))
        : List.of("submit", "--port", flinkPort));
    command.addAll(List.of("--",
        "--brokers=" + brokers, "--input=" + topics.input(), "--validator=json",
        "--mgmtUrl=" + proxy.origin() + "/hri", "--oauthUrl=" + proxy.origin() + "/oauth",
        "--clientId=validation-job", "--clientSecret=file:" + clientSecretFile(), "--audience=" + AUDIENCE,
        "--batchCompletionDelay=10000", "--parallelism=2", "--mgmtInitialBackoff=1000",
        "--mgmtMaxBackoff=10000", "--kafkaProperties=auto.offset.reset=earliest"));
    command.addAll(List.of(moreOptions));
    Process submit = new ProcessBuilder(command).inheritIO().start();
    if (submit.waitFor() != 0) {
      throw new IllegalStateException("submitting the job failed");
    }
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    Pattern running = Pattern.compile("\"jid\":\"([0-9a-f]+)\",\"name\":\"[^\"]*\",[^}]*\"state\":\"RUNNING\"");
    while (Instant.now().isBefore(deadline)) {
      String overview = get("http://127.0.0.1:" + flinkPort + "/jobs/overview");
      Matcher m = running.matcher(overview);
      if (m.find() && overview.contains("\"running\":") && !overview.contains("\"deploying\":1")) {
        say("job %s running on the %s cluster", m.group(1),
            scenario.equals("application-mode") ? "application" : "session");
        return m.group(1);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the job is not running after 2 minutes");
  }

  /** The job's OAuth client secret in a file only this user can read (the JVMs run on this machine). */
  private Path clientSecretFile() throws IOException {
    Path file = root.resolve(".run/failover/job-client-secret");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "job-secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Sends the records over ~20 s (every tenth one malformed JSON). */
  private int produce(String topic, String batchId) throws Exception {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", brokers, "compression.type", "zstd", "acks", "all", "enable.idempotence", true,
        "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class);
    int invalid = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < records; i++) {
        boolean bad = i % 10 == 9;
        invalid += bad ? 1 : 0;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
            ("r-" + i).getBytes(StandardCharsets.UTF_8),
            (bad ? "not json " + i : "{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        record.headers().add("batchId", batchId.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
        if (i % 100 == 99) {
          producer.flush();
          Thread.sleep(20_000L / (records / 100));
        }
      }
    }
    say("%d records sent (%d malformed)", records, invalid);
    return invalid;
  }

  /** What {@code *.out} holds, read read_committed: records keyed as expected, each once? */
  record OutputTally(int records, int distinct, int expected, int duplicates, long lost, long unexpected) {
    boolean exact() {
      return duplicates == 0 && lost == 0 && unexpected == 0;
    }

    @Override
    public String toString() {
      return String.format("%d records, %d distinct, expected %d; duplicates %d, lost %d, unexpected %d",
          records, distinct, expected, duplicates, lost, unexpected);
    }
  }

  /** Tallies {@code *.out} by record key, waiting up to {@code wait} for the last transactions to commit. */
  OutputTally tallyOutput(TopicNames topics, Set<String> expected, Duration wait) throws Exception {
    Instant deadline = Instant.now().plus(wait);
    List<ConsumerRecord<byte[], byte[]>> out = readCommitted(topics.output());
    while (out.size() < expected.size() && Instant.now().isBefore(deadline)) {
      Thread.sleep(1_000);
      out = readCommitted(topics.output());
    }
    Map<String, Integer> keys = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      keys.merge(r.key() == null ? "<no key>" : new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    return new OutputTally(
        out.size(), keys.size(), expected.size(), keys.values().stream().mapToInt(n -> n - 1).sum(),
        expected.stream().filter(k -> !keys.containsKey(k)).count(),
        keys.keySet().stream().filter(k -> !expected.contains(k)).count());
  }

  /** Runs {@code scripts/flink <command>} for this cluster; fails on a non-zero exit. */
  void flink(String command) throws Exception {
    int exit = new ProcessBuilder(root.resolve("scripts/flink").toString(), command, "--port", flinkPort, "--dir",
        flinkDir).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("scripts/flink " + command + " failed (exit " + exit + ")");
    }
  }

  String flinkUrl(String path) {
    return "http://127.0.0.1:" + flinkPort + path;
  }

  /**
   * The job's {@code numRestarts} metric (every restart, full or partial), -1 if Flink does not give it within
   * 20 s: the REST API answers [] until its metric fetcher has fetched (at most every 10 s by default).
   */
  long numRestarts(String jobId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      JsonNode metric = Json.mapper()
          .readTree(get(flinkUrl("/jobs/" + jobId + "/metrics?get=numRestarts")));
      if (metric.isArray() && metric.size() == 1 && metric.get(0).has("value")) {
        return metric.get(0).path("value").asLong(-1);
      }
      if (Instant.now().isAfter(deadline)) {
        return -1;
      }
      Thread.sleep(1_000);
    }
  }

  private BatchNotification awaitVerdict(BatchApiClient api, String batchId) throws Exception {
    Instant deadline = Instant.now().plus(VERDICT_DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      BatchNotification batch = api.getBatch(batchId);
      if (batch.status().isFinal()) {
        return batch;
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("no verdict for batch " + batchId + " within " + VERDICT_DEADLINE);
  }

  private boolean check(
      TopicNames topics, String batchId, BatchNotification verdict, int valid, int invalid, List<OutageProxy.Call> calls)
      throws IOException {
    Instant verdictSeen = Instant.now();
    Instant deadline = verdictSeen.plus(Duration.ofMinutes(2));
    List<ConsumerRecord<byte[], byte[]>> out = readCommitted(topics.output());
    while (out.size() < valid && Instant.now().isBefore(deadline)) {
      out = readCommitted(topics.output());
    }
    say("*.out complete %d ms after the verdict was seen", Duration.between(verdictSeen, Instant.now()).toMillis());
    Map<String, Integer> outKeys = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      outKeys.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    Map<String, Integer> invalidOffsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readCommitted(topics.invalid())) {
      InvalidRecord notice = InvalidRecord.fromJson(r.value());
      invalidOffsets.merge(notice.partition() + "@" + notice.offset(), 1, Integer::sum);
    }
    List<BatchStatus> statuses = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readCommitted(topics.notification())) {
      statuses.add(BatchNotification.fromJson(r.value()).status());
    }
    int outDuplicates = outKeys.values().stream().mapToInt(n -> n - 1).sum();
    int invalidDuplicates = invalidOffsets.values().stream().mapToInt(n -> n - 1).sum();
    long completeCalls = calls.stream().filter(c -> c.path().endsWith("/action/processingComplete")).count();
    long failCalls = calls.stream().filter(c -> c.path().endsWith("/action/fail")).count();
    long unavailable = calls.stream().filter(c -> c.status() == 503).count();

    say("records sent: %d (valid %d, invalid %d)", records, valid, invalid);
    say("*.out read_committed: %d records, %d distinct, duplicates %d, lost %d",
        outKeys.values().stream().mapToInt(Integer::intValue).sum(), outKeys.size(), outDuplicates, valid - outKeys.size());
    say("*.invalid read_committed: %d notices, %d distinct, duplicates %d, lost %d",
        invalidOffsets.values().stream().mapToInt(Integer::intValue).sum(), invalidOffsets.size(), invalidDuplicates,
        invalid - invalidOffsets.size());
    say("verdict: %s, actualRecordCount %s, invalidRecordCount %s", verdict.status(), verdict.actualRecordCount(),
        verdict.invalidRecordCount());
    say("notifications: %s", statuses);
    say("Management API calls from the job: processingComplete %d, fail %d, answered 503: %d", completeCalls, failCalls,
        unavailable);
    boolean ok =
        outDuplicates == 0 && invalidDuplicates == 0 && outKeys.size() == valid && invalidOffsets.size() == invalid
            && verdict.status() == BatchStatus.COMPLETED && verdict.actualRecordCount() == records
            && verdict.invalidRecordCount() == invalid && failCalls == 0
            && statuses.equals(List.of(BatchStatus.STARTED, BatchStatus.SEND_COMPLETED, BatchStatus.COMPLETED))
            && (!scenario.equals("api-outage") || unavailable > 0);
    System.out.printf("RESULT scenario=%s records=%d out=%d duplicates=%d lost=%d invalid=%d verdict=%s ok=%s%n",
        scenario, records, outKeys.size(), outDuplicates + invalidDuplicates,
        (valid - outKeys.size()) + (invalid - invalidOffsets.size()), invalidOffsets.size(), verdict.status(), ok);
    return ok;
  }

  /** An invalid-record notice and where its record was on the input topic ({@code partition@offset}). */
  record Notice(String at, JsonNode json) {}

  /** The notices on {@code topic} (read_committed); how often each place was named goes to {@code seen}. */
  List<Notice> invalidNotices(String topic, Map<String, Integer> seen) throws IOException {
    List<Notice> notices = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readCommitted(topic)) {
      JsonNode notice = Json.mapper().readTree(r.value());
      String at = notice.path("partition").asText() + "@" + notice.path("offset").asText();
      seen.merge(at, 1, Integer::sum);
      notices.add(new Notice(at, notice));
    }
    return notices;
  }

  List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", brokers, "isolation.level", "read_committed", "enable.auto.commit", false,
        "key.deserializer", ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static void say(String format, Object... values) {
    System.out.printf("failover: " + format + "%n", values);
  }
}

package org.hri.local.failover;

import static org.hri.local.failover.FailoverCheck.get;
import static org.hri.local.failover.FailoverCheck.say;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.local.integrator.BatchApiClient;
import org.hri.local.mgmt.LocalManagementApi;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;

/**
 * The {@code poison} scenario of {@code scripts/flink-failover-test}: the job (Management API mode, the API
 * behind {@link OutageProxy}) on the session cluster is fed hostile input between six good batches of 300
 * records, and must neither restart nor lose a good batch:
 *
 * <ul>
 *   <li>five records whose {@code batchId} header is 64 KB long, empty, not UTF-8, holds a control character,
 *       or appears twice: each on {@code *.invalid} with {@value #INVALID_HEADER} and {@code batchId} null, no
 *       API call for them, and not counted toward any batch;
 *   <li>five malformed notifications (a negative, a fractional, a string count, an unknown status, 1.5 MB):
 *       skipped, so no API call and no output for them;
 *   <li>records of three batches the job has no notification for: their lookups answered 400 and 414 by the
 *       proxy and 404 by the API, so their records are on {@code *.invalid} with {@link #REJECTED} /
 *       {@value #UNKNOWN};
 *   <li>two good batches whose verdict call the proxy answers 404 and 400: one call each, never retried; the
 *       batches stay sendCompleted;
 *   <li>every {@code /hri/} call answered 429 (Retry-After: 1) and 503 in turn for 20 s while two good batches
 *       reach their verdicts: those end completed afterwards.
 * </ul>
 *
 * Afterwards Flink's REST API must report the job RUNNING with no restart, every good batch must have its
 * exact counts and every record must be where it belongs, exactly once ({@code read_committed}).
 */
final class PoisonCheck {
  static final String INVALID_HEADER = "Bad Message - Invalid batchId header";
  static final String REJECTED = "Bad Message - HRI Management API rejected the batch: HTTP %d";
  static final String UNKNOWN = "Bad Message - Unknown batchId";

  private static final int PER_BATCH = 300;
  private static final int PER_LOOKUP_BATCH = 5;
  private static final Duration WINDOW = Duration.ofSeconds(20);
  /** How long after a rejected verdict call the proxy must see no second one. */
  private static final Duration NO_RETRY_FOR = Duration.ofSeconds(20);
  private static final int BIG_NOTIFICATION = 1_536 * 1024;
  private static final int NOTIFICATION_TOPIC_MAX = 2 * 1024 * 1024;

  /** Good batches by label; the verdict-4xx ones stay sendCompleted, the others end completed. */
  private static final List<String> GOOD =
      List.of("plain-1", "plain-2", "verdict-404", "verdict-400", "outage-1", "outage-2");
  private static final Map<String, Integer> VERDICT_REJECTED = Map.of("verdict-404", 404, "verdict-400", 400);
  private static final List<String> OUTAGE = List.of("outage-1", "outage-2");

  /** What one record must produce on {@code *.invalid}; a null failure means the JSON validator's "Invalid JSON: ..." text. */
  private record Expected(String what, String batchId, String failure) {}

  private final FailoverCheck harness;
  private final String brokers;
  private final String suffix = UUID.randomUUID().toString().substring(0, 6);
  private final Map<String, String> ids = new LinkedHashMap<>(); // label -> batch id
  private final Map<String, Expected> invalidExpected = new HashMap<>(); // partition@offset -> expectation
  private final Set<String> outExpected = new java.util.HashSet<>(); // keys of valid records
  private final List<String> skippedNotifications = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private boolean bigNotificationSent;

  PoisonCheck(FailoverCheck harness) {
    this.harness = harness;
    this.brokers = harness.brokers;
  }

  boolean run() throws Exception {
    TopicNames topics = TopicNames.forInput("ingest." + FailoverCheck.TENANT + ".poison" + suffix + ".in");
    int notificationMax = createTopics(topics);
    String lookup400 = "poison-lookup-400-" + suffix;
    String lookup414 = "poison-lookup-414-" + suffix;
    String lookup404 = "poison-lookup-404-" + suffix;
    String jobId = null;
    try (LocalManagementApi api = harness.startApi();
        OutageProxy proxy = new OutageProxy("http://127.0.0.1:" + api.port())) {
      say("scenario poison: %d good batches of %d records and hostile input on %s, Management API %s (behind a "
          + "proxy at %s)", GOOD.size(), PER_BATCH, topics.input(), api.baseUrl(), proxy.origin());
      jobId = harness.submitJob(topics, proxy);
      BatchApiClient integrator = FailoverCheck.integrator(api);
      for (String label : GOOD) {
        ids.put(label, integrator.createBatch("poison-" + label, topics.input(), "claims", -1, null));
      }
      proxy.answer("GET", lookup400, 400);
      proxy.answer("GET", lookup414, 414);
      VERDICT_REJECTED.forEach((label, status) -> proxy.answer("PUT", ids.get(label), status));
      Instant injected = Instant.now();
      say("batches created: %s; the proxy answers the lookup of %s with 400, of %s with 414, and the verdict "
          + "calls of verdict-404 / verdict-400 with 404 / 400; %s is unknown to the API (404)", ids, lookup400,
          lookup414, lookup404);

      produce(topics, List.of(lookup400, lookup414, lookup404), notificationMax);

      for (String label : GOOD) {
        if (!OUTAGE.contains(label)) {
          integrator.sendComplete(ids.get(label), PER_BATCH, null);
        }
      }
      say("sendComplete(%d) sent for plain-1, plain-2, verdict-404, verdict-400; waiting for their verdicts",
          PER_BATCH);
      boolean firstVerdicts = await(Duration.ofSeconds(75), () ->
          isFinal(integrator, "plain-1") && isFinal(integrator, "plain-2")
              && VERDICT_REJECTED.keySet().stream().allMatch(label -> verdictCalls(proxy, label, injected) > 0));
      if (!firstVerdicts) {
        failed.add("first verdicts: not all within 75 s");
        say("not all of plain-1, plain-2 final and verdict-404/400 called within 75 s; going on");
      }

      Instant windowStart = Instant.now();
      proxy.outageFor(WINDOW, 429, 503);
      for (String label : OUTAGE) {
        integrator.sendComplete(ids.get(label), PER_BATCH, null);
      }
      say("every /hri/ call answered 429 (Retry-After: 1) and 503 in turn for %d s; sendComplete(%d) sent for %s",
          WINDOW.toSeconds(), PER_BATCH, OUTAGE);
      Instant windowEnd = windowStart.plus(WINDOW);
      boolean outageVerdicts = await(Duration.between(Instant.now(), windowEnd.plusSeconds(60)), () ->
          OUTAGE.stream().allMatch(label -> isFinal(integrator, label)));
      if (!outageVerdicts) {
        failed.add("outage verdicts: not final within 60 s after the window");
      }
      // Give a wrongly retried verdict call time to show up.
      Instant quietUntil = proxy.calls().stream()
          .filter(c -> VERDICT_REJECTED.keySet().stream().anyMatch(l -> c.is("PUT", ids.get(l), "")))
          .map(c -> c.at().plus(NO_RETRY_FOR)).max(Instant::compareTo).orElse(Instant.now());
      if (Instant.now().isBefore(quietUntil)) {
        Thread.sleep(Duration.between(Instant.now(), quietUntil).toMillis());
      }
      return check(topics, jobId, integrator, proxy.calls(), injected, windowStart, windowEnd,
          Map.of(lookup400, 400, lookup414, 414, lookup404, 404));
    } finally {
      harness.cancel(jobId);
    }
  }

  /** Creates the stream's topics; returns {@code *.notification}'s max.message.bytes. */
  private int createTopics(TopicNames topics) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", brokers))) {
      admin.createTopics(List.of(
          new NewTopic(topics.input(), 2, (short) 1), new NewTopic(topics.output(), 2, (short) 1),
          new NewTopic(topics.notification(), 1, (short) 1)
              .configs(Map.of("max.message.bytes", String.valueOf(NOTIFICATION_TOPIC_MAX))),
          new NewTopic(topics.invalid(), 1, (short) 1)))
          .all().get();
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topics.notification());
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      return Integer.parseInt(config.get("max.message.bytes").value());
    }
  }

  /**
   * Sends the good batches' records interleaved (every tenth malformed JSON), and between them the hostile
   * records, the records of the batches looked up, and the malformed notifications. Takes about 5 s.
   */
  private void produce(TopicNames topics, List<String> lookups, int notificationMax) throws Exception {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", brokers, "acks", "all", "enable.idempotence", true, "compression.type", "none",
        "max.request.size", 4 * 1024 * 1024,
        "key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class);
    Map<Future<RecordMetadata>, Expected> invalidSent = new LinkedHashMap<>();
    List<byte[][]> hostileHeaders = hostileHeaders();
    List<String> hostileNames = List.of("64 KB", "empty", "not UTF-8", "control character", "twice");
    List<byte[]> notifications = malformedNotifications(topics.input(), notificationMax);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < PER_BATCH; i++) {
        for (String label : GOOD) {
          boolean bad = i % 10 == 9;
          String key = label + "-" + i;
          Future<RecordMetadata> sent = producer.send(
              record(topics.input(), key, bad ? "not json " + i : "{\"i\":" + i + "}", ids.get(label)));
          if (bad) {
            invalidSent.put(sent, new Expected("malformed JSON of " + label, ids.get(label), null));
          } else {
            outExpected.add(key);
          }
        }
        if (i % 60 == 50) { // i = 50, 110, 170, 230, 290: one hostile header each
          int n = i / 60;
          ProducerRecord<byte[], byte[]> hostile = record(topics.input(), "hostile-" + n, "{\"h\":" + n + "}", null);
          for (byte[] value : hostileHeaders.get(n)) {
            hostile.headers().add("batchId", value);
          }
          invalidSent.put(producer.send(hostile),
              new Expected("batchId header " + hostileNames.get(n), null, INVALID_HEADER));
        }
        if (i % 60 == 30) { // i = 30, 90, ..., 270: one record of each looked-up batch
          for (String id : lookups) {
            String key = id + "-" + i;
            String failure = id.contains("-404-") ? UNKNOWN : String.format(REJECTED, id.contains("-400-") ? 400 : 414);
            invalidSent.put(producer.send(record(topics.input(), key, "{\"i\":" + i + "}", id)),
                new Expected("record of " + id, id, failure));
          }
        }
        if (i % 60 == 40 && i / 60 < notifications.size() && notifications.get(i / 60) != null) {
          producer.send(new ProducerRecord<>(topics.notification(), null, null, null, notifications.get(i / 60)));
        }
        if (i % 20 == 19) {
          producer.flush();
          Thread.sleep(300);
        }
      }
      producer.flush();
      for (Map.Entry<Future<RecordMetadata>, Expected> e : invalidSent.entrySet()) {
        RecordMetadata m = e.getKey().get();
        invalidExpected.put(m.partition() + "@" + m.offset(), e.getValue());
      }
    }
    say("sent: %d good records (%d malformed JSON), %d hostile batchId headers, %d records of looked-up batches, "
        + "%d malformed notifications%s", GOOD.size() * PER_BATCH, GOOD.size() * PER_BATCH / 10,
        hostileHeaders.size(), lookups.size() * PER_LOOKUP_BATCH, skippedNotifications.size(),
        bigNotificationSent ? " (one of 1.5 MB)" : "");
  }

  /** The batchId header values of the five hostile records, in order. */
  private List<byte[][]> hostileHeaders() {
    byte[] huge = "a".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
    byte[] control = (ids.get("plain-1") + "\u0007").getBytes(StandardCharsets.UTF_8);
    byte[] twice = ids.get("plain-2").getBytes(StandardCharsets.UTF_8);
    return List.of(
        new byte[][] {huge}, new byte[][] {new byte[0]}, new byte[][] {{(byte) 0xC3, (byte) 0x28}},
        new byte[][] {control}, new byte[][] {twice, twice});
  }

  /**
   * n3 to n7, each a sendCompleted notification for this stream's topic that would reach its verdict at once
   * if taken for a count of 0 (so a job that does not skip it calls the API for it): count -5, count 0.5,
   * count "0" (a string), an unknown status, and one of 1.5 MB (null when the topic does not take it).
   */
  private List<byte[]> malformedNotifications(String topic, int notificationMax) throws Exception {
    List<byte[]> all = new ArrayList<>();
    all.add(notification(topic, "n3", "sendCompleted", n -> n.put("expectedRecordCount", -5)));
    all.add(notification(topic, "n4", "sendCompleted", n -> n.put("expectedRecordCount", 0.5)));
    all.add(notification(topic, "n5", "sendCompleted", n -> n.put("expectedRecordCount", "0")));
    all.add(notification(topic, "n6", "exploded", n -> n.put("expectedRecordCount", 0)));
    byte[] big = notification(topic, "n7", "sendCompleted", n -> {
      n.put("expectedRecordCount", 0);
      n.putObject("metadata").put("padding", "x".repeat(BIG_NOTIFICATION));
    });
    if (big.length + 1024 <= notificationMax) {
      all.add(big);
      bigNotificationSent = true;
    } else {
      all.add(null);
      say("the 1.5 MB notification is left out: *.notification takes at most %d bytes", notificationMax);
    }
    for (byte[] n : all) {
      if (n != null) {
        skippedNotifications.add(Json.mapper().readTree(n).get("id").asText());
      }
    }
    return all;
  }

  private static byte[] notification(
      String topic, String id, String status, java.util.function.Consumer<ObjectNode> defect) throws Exception {
    ObjectNode n = Json.mapper().createObjectNode()
        .put("id", id).put("name", "poison-" + id).put("integratorId", "integrator").put("topic", topic)
        .put("dataType", "claims").put("status", status).put("startDate", "2025-01-01T00:00:00Z")
        .put("invalidThreshold", -1);
    defect.accept(n);
    return Json.mapper().writeValueAsBytes(n);
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value, String batchId) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
        key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    if (batchId != null) {
      record.headers().add("batchId", batchId.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private boolean isFinal(BatchApiClient integrator, String label) {
    try {
      return integrator.getBatch(ids.get(label)).status().isFinal();
    } catch (Exception e) {
      return false;
    }
  }

  private long verdictCalls(OutageProxy proxy, String label, Instant since) {
    return proxy.calls().stream().filter(c -> c.is("PUT", ids.get(label), "") && !c.at().isBefore(since)).count();
  }

  private static boolean await(Duration limit, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (done.getAsBoolean()) {
        return true;
      }
      Thread.sleep(1_000);
    }
    return done.getAsBoolean();
  }

  // ---- checks ----

  private boolean check(
      TopicNames topics, String jobId, BatchApiClient integrator, List<OutageProxy.Call> calls, Instant injected,
      Instant windowStart, Instant windowEnd, Map<String, Integer> lookups) throws Exception {
    // Flink: still RUNNING, never restarted. The exception history and the RESTARTING/FAILING times are read
    // from the job itself; numRestarts comes through the REST metric fetcher and may lag by up to 10 s.
    JsonNode job = Json.mapper().readTree(get(harness.flinkUrl("/jobs/" + jobId)));
    String state = job.path("state").asText("?");
    long restartingAt = job.path("timestamps").path("RESTARTING").asLong(-1);
    long failingAt = job.path("timestamps").path("FAILING").asLong(-1);
    long numRestarts = harness.numRestarts(jobId);
    JsonNode exceptions = Json.mapper().readTree(get(harness.flinkUrl("/jobs/" + jobId + "/exceptions")));
    int exceptionCount = exceptions.path("exceptionHistory").path("entries").size();
    say("Flink job %s: state %s, numRestarts %d, RESTARTING at %d, FAILING at %d, exception history %d entries",
        jobId, state, numRestarts, restartingAt, failingAt, exceptionCount);
    expect("job RUNNING with no restart", state.equals("RUNNING") && numRestarts == 0 && restartingAt == 0
        && failingAt == 0 && exceptionCount == 0);

    // The good batches in the Management API.
    Set<String> goodOk = new java.util.HashSet<>(); // labels whose every check passed
    for (String label : GOOD) {
      BatchNotification batch = integrator.getBatch(ids.get(label));
      boolean rejected = VERDICT_REJECTED.containsKey(label);
      boolean ok = rejected
          ? batch.status() == BatchStatus.SEND_COMPLETED
          : batch.status() == BatchStatus.COMPLETED && Long.valueOf(PER_BATCH).equals(batch.actualRecordCount())
              && Long.valueOf(PER_BATCH / 10).equals(batch.invalidRecordCount());
      if (ok) {
        goodOk.add(label);
      }
      say("batch %s (%s): %s, actualRecordCount %s, invalidRecordCount %s (expected %s)", label, ids.get(label),
          batch.status(), batch.actualRecordCount(), batch.invalidRecordCount(),
          rejected ? "sendCompleted" : "completed " + PER_BATCH + "/" + PER_BATCH / 10);
      expect("batch " + label, ok);
    }

    // Rejected verdicts: one call each, not retried.
    for (Map.Entry<String, Integer> e : new TreeMap<>(VERDICT_REJECTED).entrySet()) {
      String id = ids.get(e.getKey());
      List<OutageProxy.Call> puts =
          calls.stream().filter(c -> c.is("PUT", id, "") && !c.at().isBefore(injected)).toList();
      say("verdict calls for %s (answered %d): %d, statuses %s", e.getKey(), e.getValue(), puts.size(),
          puts.stream().map(OutageProxy.Call::status).toList());
      boolean once = puts.size() == 1 && puts.get(0).status() == e.getValue();
      expect("one verdict call for " + e.getKey(), once);
      if (!once) {
        goodOk.remove(e.getKey());
      }
    }

    // The window: the job was answered 429 and 503 and the verdicts came afterwards.
    long answered429 = calls.stream().filter(c -> c.injected() && c.status() == 429).count();
    long answered503 = calls.stream().filter(c -> c.injected() && c.status() == 503).count();
    for (String label : OUTAGE) {
      String id = ids.get(label);
      long refused = calls.stream().filter(c -> c.is("PUT", id, "") && (c.status() == 429 || c.status() == 503)).count();
      List<OutageProxy.Call> done = calls.stream()
          .filter(c -> c.is("PUT", id, "/action/processingComplete") && c.status() / 100 == 2).toList();
      say("verdict calls for %s: %d answered 429/503 in the window, %d succeeded after it", label, refused,
          done.stream().filter(c -> !c.at().isBefore(windowEnd)).count());
      boolean afterWindow = refused > 0 && done.size() == 1 && !done.get(0).at().isBefore(windowEnd);
      expect("verdict of " + label + " refused in the window and made after it", afterWindow);
      if (!afterWindow) {
        goodOk.remove(label);
      }
    }
    say("the proxy answered %d calls 429 and %d calls 503 between %s and %s", answered429, answered503, windowStart,
        windowEnd);
    expect("both 429 and 503 answered", answered429 > 0 && answered503 > 0);

    // No API call for hostile headers or skipped notifications; one or more lookups for the looked-up batches.
    long hostileCalls = calls.stream().filter(c -> hostileId(c.batchId())).count();
    long notificationCalls = calls.stream().filter(c -> skippedNotifications.contains(c.batchId())).count();
    say("API calls for hostile batchId headers: %d; for the malformed notifications %s: %d", hostileCalls,
        skippedNotifications, notificationCalls);
    expect("no API call for a hostile header", hostileCalls == 0);
    expect("no API call for a malformed notification", notificationCalls == 0);
    for (Map.Entry<String, Integer> e : new TreeMap<>(lookups).entrySet()) {
      List<Integer> statuses = calls.stream().filter(c -> c.is("GET", e.getKey(), "")).map(OutageProxy.Call::status)
          .toList();
      say("lookups of %s: %d, statuses %s", e.getKey(), statuses.size(), statuses);
      // A lookup that happens to fall into the 429/503 window is retried; any other answer is wrong.
      expect("lookup of " + e.getKey() + " answered " + e.getValue(),
          statuses.contains(e.getValue())
              && statuses.stream().allMatch(s -> s.equals(e.getValue()) || s == 429 || s == 503));
    }

    // *.out: every valid record of a good batch exactly once, nothing else.
    FailoverCheck.OutputTally out = harness.tallyOutput(topics, outExpected, Duration.ofSeconds(30));
    say("*.out read_committed: %s", out);
    expect("*.out exactly the valid records, once", out.exact());

    // *.invalid: every expected notice exactly once, with its batch id and failure, nothing else.
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Integer> wrong = new TreeMap<>();
    int unexpected = 0;
    for (FailoverCheck.Notice found : harness.invalidNotices(topics.invalid(), seen)) {
      JsonNode notice = found.json();
      Expected expected = invalidExpected.get(found.at());
      if (expected == null || !notice.path("topic").asText().equals(topics.input())) {
        unexpected++;
        continue;
      }
      String batchId = notice.path("batchId").isNull() || notice.path("batchId").isMissingNode()
          ? null : notice.path("batchId").asText();
      String failure = notice.path("failure").asText(null);
      boolean ok = java.util.Objects.equals(batchId, expected.batchId())
          && (expected.failure() == null
              ? failure != null && failure.startsWith("Invalid JSON: ")
              : expected.failure().equals(failure));
      if (!ok) {
        wrong.merge(expected.what() + ": got batchId " + (batchId == null ? "null" : expected.batchId() != null
            && batchId.equals(expected.batchId()) ? "as expected" : "other (" + batchId.length() + " chars)")
            + ", failure " + describe(failure), 1, Integer::sum);
      }
    }
    int invalidDuplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
    long invalidLost = invalidExpected.keySet().stream().filter(k -> !seen.containsKey(k)).count();
    Map<String, Integer> lostByKind = new TreeMap<>();
    invalidExpected.forEach((at, e) -> {
      if (!seen.containsKey(at)) {
        lostByKind.merge(e.what().replaceAll(" of poison-lookup-(\\d+)-.*", " of lookup-$1 batch"), 1, Integer::sum);
      }
    });
    say("*.invalid read_committed: %d notices, %d distinct, expected %d; duplicates %d, lost %d, unexpected %d, "
        + "wrong %d", seen.values().stream().mapToInt(Integer::intValue).sum(), seen.size(), invalidExpected.size(),
        invalidDuplicates, invalidLost, unexpected, wrong.values().stream().mapToInt(Integer::intValue).sum());
    lostByKind.forEach((what, n) -> say("  missing on *.invalid: %d x %s", n, what));
    wrong.forEach((what, n) -> say("  wrong on *.invalid: %d x %s", n, what));
    expect("*.invalid exactly the expected notices, once", invalidDuplicates == 0 && invalidLost == 0
        && unexpected == 0 && wrong.isEmpty());

    // *.notification: the good batches' own notifications only.
    Map<String, List<String>> statuses = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> r : harness.readCommitted(topics.notification())) {
      JsonNode n;
      try {
        n = Json.mapper().readTree(r.value());
      } catch (Exception e) {
        continue;
      }
      String id = n.path("id").asText("");
      ids.forEach((label, batchId) -> {
        if (batchId.equals(id)) {
          statuses.computeIfAbsent(label, l -> new ArrayList<>()).add(n.path("status").asText());
        }
      });
    }
    for (String label : GOOD) {
      List<String> expected = VERDICT_REJECTED.containsKey(label)
          ? List.of("started", "sendCompleted") : List.of("started", "sendCompleted", "completed");
      List<String> got = statuses.getOrDefault(label, List.of());
      if (!got.equals(expected)) {
        say("notifications of %s: %s, expected %s", label, got, expected);
        goodOk.remove(label);
      }
      expect("notifications of " + label, got.equals(expected));
    }

    boolean ok = failed.isEmpty();
    say("poison: %s", ok ? "every check passed" : "FAILED: " + String.join("; ", failed));
    System.out.printf(
        "RESULT scenario=poison state=%s restarts=%d good=%d/%d out=%d duplicates=%d lost=%d invalid=%d "
            + "unexpected=%d skippedNotifications=%d%s ok=%s%n",
        state, numRestarts, goodOk.size(), GOOD.size(), out.distinct(), out.duplicates() + invalidDuplicates,
        out.lost() + invalidLost, seen.size(), out.unexpected() + unexpected + wrong.size(), skippedNotifications.size(),
        bigNotificationSent ? "" : " (1.5 MB notification left out)", ok);
    return ok;
  }

  private void expect(String what, boolean ok) {
    if (!ok) {
      failed.add(what);
    }
  }

  /** A batch id from a hostile header: empty, over 256 bytes, with a control or replacement character. */
  private static boolean hostileId(String id) {
    return id != null && (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > 256
        || id.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == '\uFFFD'));
  }

  /** A failure text for the log: the job's fixed texts in full, anything else (it may quote input) by length. */
  private static String describe(String failure) {
    if (failure == null) {
      return "null";
    }
    return failure.startsWith("Bad Message - ") && failure.length() <= 120
        ? "\"" + failure + "\"" : "<other text, " + failure.length() + " chars>";
  }
}

package org.hri.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Flink's own statistics of a job on an embedded Flink (Beam's {@code --flinkMaster=[local]}), read from the
 * mini cluster's REST API: checkpoints completed, failed and restored, and restarts. {@link #configure} writes a
 * Flink configuration directory whose REST endpoint listens on a free loopback port; the job gets it with
 * {@link #confDirArg()} ({@code --flinkConfDir}). Independent of Flink's classes: plain HTTP and Jackson.
 */
public final class FlinkRest {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path confDir;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

  private FlinkRest(Path confDir, int port) {
    this.confDir = confDir;
    this.base = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** One job's checkpoint counts and restarts, as Flink counted them. */
  public record JobStats(
      String jobId, long completedCheckpoints, long failedCheckpoints, long restoredCheckpoints, long restarts) {
    /** No checkpoint failed and the job never restarted. */
    public boolean clean() {
      return failedCheckpoints == 0 && restoredCheckpoints == 0 && restarts == 0;
    }

    @Override
    public String toString() {
      return completedCheckpoints + " checkpoints completed, " + failedCheckpoints + " failed, "
          + restoredCheckpoints + " restored; " + restarts + " restarts";
    }
  }

  /**
   * Writes {@code dir}/flink-conf.yaml with the REST endpoint on a free loopback port and metrics fetched every
   * half second (the restart count is a metric).
   */
  public static FlinkRest configure(Path dir) {
    int port = freePort();
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("flink-conf.yaml"), String.join("\n",
          "rest.address: 127.0.0.1",
          "rest.bind-address: 127.0.0.1",
          "rest.port: " + port,
          "rest.bind-port: " + port,
          "metrics.fetcher.update-interval: 500",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration in " + dir, e);
    }
    return new FlinkRest(dir, port);
  }

  // The port is free now; the mini cluster binds it moments later (a collision fails the job's start loudly).
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The option that gives Beam's FlinkRunner this configuration directory. */
  public String confDirArg() {
    return "--flinkConfDir=" + confDir.toAbsolutePath();
  }

  public URI baseUri() {
    return base;
  }

  /**
   * The statistics of the cluster's one job, once the cluster answers, has the job and reports its restart
   * count; fails after {@code deadline}.
   */
  public JobStats read(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    while (System.nanoTime() < end) {
      try {
        JobStats stats = readOnce();
        if (stats != null) {
          return stats;
        }
      } catch (IOException | RuntimeException e) {
        last = e; // not up yet, or between restarts
      }
      sleep(POLL);
    }
    throw new AssertionError("No job statistics from Flink's REST API at " + base + " within " + deadline
        + (last == null ? "" : ": " + last), last);
  }

  /**
   * Statistics that cover every checkpoint begun after {@code earlier} was read: read again until at least two
   * more checkpoints completed (the REST API caches checkpoint statistics for a few seconds, and the metric
   * fetcher half a second).
   */
  public JobStats readAfter(JobStats earlier, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    JobStats stats = read(deadline);
    while (stats.completedCheckpoints() < earlier.completedCheckpoints() + 2 && System.nanoTime() < end) {
      sleep(POLL);
      stats = read(Duration.ofNanos(Math.max(end - System.nanoTime(), POLL.toNanos())));
    }
    if (stats.completedCheckpoints() < earlier.completedCheckpoints() + 2) {
      throw new AssertionError("No newer checkpoints within " + deadline + " after " + earlier + "; now " + stats);
    }
    return stats;
  }

  /**
   * The statistics once the job is steady: every task running (or finished, as a source with nothing to read
   * does), then two checkpoints in a row completed with no failure between them. Flink counts as failed the
   * checkpoints it tries to trigger while tasks are still being deployed, and those declined by a task that is
   * finishing; with checkpoints every 100 ms these are dozens at each start, and say nothing about the job's
   * state. Failures after this point are the job's own.
   */
  public JobStats awaitSteady(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    JobStats stats = read(deadline);
    while (!allTasksRunningOrFinished(stats.jobId())) {
      if (System.nanoTime() > end) {
        throw new AssertionError("The job's tasks are not all running within " + deadline);
      }
      sleep(POLL);
    }
    JobStats before = read(deadline);
    while (true) {
      JobStats after = readAfter(before, Duration.ofNanos(Math.max(end - System.nanoTime(), 0)));
      if (after.failedCheckpoints() == before.failedCheckpoints() && after.restarts() == before.restarts()) {
        return after;
      }
      before = after;
    }
  }

  private boolean allTasksRunningOrFinished(String jobId) {
    try {
      JsonNode vertices = json(get("jobs/" + jobId)).path("vertices");
      for (JsonNode vertex : vertices) {
        Iterator<Map.Entry<String, JsonNode>> states = vertex.path("tasks").fields();
        while (states.hasNext()) {
          Map.Entry<String, JsonNode> state = states.next();
          boolean settled = "RUNNING".equals(state.getKey()) || "FINISHED".equals(state.getKey());
          if (!settled && state.getValue().asLong() > 0) {
            return false;
          }
        }
      }
      return !vertices.isEmpty();
    } catch (IOException | RuntimeException e) {
      return false; // between restarts
    }
  }

  private JobStats readOnce() throws IOException {
    JsonNode jobs = json(get("jobs")).path("jobs");
    if (jobs.size() != 1) {
      return null;
    }
    String id = jobs.get(0).path("id").asText();
    JsonNode counts = json(get("jobs/" + id + "/checkpoints")).get("counts");
    Long restarts = null;
    for (JsonNode metric : json(get("jobs/" + id + "/metrics?get=numRestarts"))) {
      if ("numRestarts".equals(metric.path("id").asText())) {
        restarts = Long.parseLong(metric.path("value").asText());
      }
    }
    if (counts == null || restarts == null) {
      return null; // the metric appears once the fetcher has run
    }
    return new JobStats(id, number(counts, "completed"), number(counts, "failed"), number(counts, "restored"),
        restarts);
  }

  private static long number(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isNumber()) {
      throw new IllegalStateException("no number " + field + " in " + object);
    }
    return value.asLong();
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  /** The body of {@code GET <path>} (relative to the REST root, e.g. {@code jobs/<id>/config}); 200 only. */
  public String get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + ": HTTP " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

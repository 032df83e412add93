package org.hri.local.failover;

import static org.hri.local.failover.FailoverCheck.say;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes the session cluster's Prometheus endpoints (scripts/flink starts each process with Flink's
 * Prometheus reporter on the first free port of a range of ten) and looks for the job's {@code hri} counters,
 * as an operator's Prometheus would.
 */
final class PrometheusScrape {
  private static final int PORTS = 10;
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** Flink names a Beam counter {@code <namespace>_<name>} in the operator's scope. */
  private static final Pattern VALID =
      Pattern.compile("(?m)^(flink_taskmanager_job_task_operator\\w*hri_records_valid)\\{[^}]*} ([0-9.E+]+)$");

  private PrometheusScrape() {}

  /** True once the TaskManagers' endpoints report, summed over subtasks, at least {@code valid} valid records. */
  static boolean findsCounters(int firstPort, int valid) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(DEADLINE);
    double seen = 0;
    List<String> names = new ArrayList<>();
    String sample = "";
    while (Instant.now().isBefore(deadline)) {
      seen = 0;
      names.clear();
      for (int port = firstPort; port < firstPort + PORTS; port++) {
        String body = scrape(http, port);
        Matcher hri = Pattern.compile("(?m)^\\w*hri\\w*").matcher(body);
        if (sample.isEmpty() && hri.find()) {
          sample = hri.group();
        }
        Matcher m = VALID.matcher(body);
        while (m.find()) {
          names.add(m.group(1));
          seen += Double.parseDouble(m.group(2));
        }
      }
      if (seen >= valid) {
        break;
      }
      Thread.sleep(1_000);
    }
    say("Prometheus: %s = %.0f (expected at least %d)",
        names.isEmpty() ? "no hri_records_valid; an hri metric: " + (sample.isEmpty() ? "none" : sample) : names.get(0),
        seen, valid);
    return seen >= valid;
  }

  private static String scrape(HttpClient http, int port) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return ""; // nothing listens on this port of the range
    }
  }
}

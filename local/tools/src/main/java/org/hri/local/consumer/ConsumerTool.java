package org.hri.local.consumer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.hri.local.tools.CommandLine;
import org.hri.local.tools.CommandLine.UsageException;
import org.hri.local.tools.KafkaClientSettings;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;

/**
 * Command line of the Data Consumer ({@link BatchConsumer}): waits for a batch's final notification and writes a
 * completed batch's valid records to a file. Exit code 0 when the batch completed and all its valid records were
 * written; 1 when it failed or was terminated, no final notification arrived in time, or records were missing;
 * 2 for a usage error.
 */
public final class ConsumerTool {
  static final String USAGE = String.join("\n",
      "Usage: ConsumerTool --brokers=HOST:PORT[,...] --input=ingest.<tenant>.<integrator>[.q].in --batchId=ID",
      "                    --outputFile=FILE [--timeout=SECONDS] [--password=KEY] [--kafkaProperties=k=v,...]",
      "Waits for the batch's completed, failed or terminated notification on <input base>.notification; for a",
      "completed batch writes its records from <input base>.out to FILE, one record per line (NDJSON).",
      "  --timeout          seconds to wait for the notification, and again for the records (default 600)",
      "  --password         Event Streams API key: SASL PLAIN over TLS (user 'token')",
      "  --kafkaProperties  extra consumer properties key=value,key=value",
      "Exit code: 0 completed and written, 1 failed/terminated/timeout/records missing, 2 usage error.");

  private static final Set<String> OPTIONS =
      Set.of("brokers", "input", "batchId", "outputFile", "timeout", "password", "kafkaProperties");

  private ConsumerTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String batchId;
    Path outputFile;
    Duration timeout;
    BatchConsumer consumer;
    TopicNames topics;
    try {
      CommandLine cl = CommandLine.parse(args, OPTIONS);
      if (cl.helpRequested()) {
        out.println(USAGE);
        return 0;
      }
      String brokers = cl.required("brokers");
      try {
        topics = TopicNames.forInput(cl.required("input"));
      } catch (TopicNamingException e) {
        throw new UsageException(e.getMessage());
      }
      batchId = cl.required("batchId");
      outputFile = Path.of(cl.required("outputFile"));
      timeout = Duration.ofSeconds(cl.number("timeout", 600, 1));
      Map<String, String> extra;
      try {
        extra = KafkaClientSettings.parseProperties(cl.optional("kafkaProperties", null));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      consumer = new BatchConsumer(topics, KafkaClientSettings.base(brokers, cl.optional("password", null), extra));
    } catch (UsageException e) {
      err.println("Error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }

    ConsumerResult result;
    try {
      result = consumer.awaitBatch(batchId, outputFile, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Interrupted");
      return 1;
    } catch (Exception e) {
      err.println("Error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return 1;
    }
    switch (result.outcome()) {
      case COMPLETED -> {
        out.println("batch " + batchId + " completed: " + result.recordsWritten() + " records written to "
            + outputFile);
        return 0;
      }
      case INCOMPLETE -> {
        out.println("batch " + batchId + " completed, but only " + result.recordsWritten() + " of "
            + result.expectedRecords() + " valid records were found on " + topics.output() + ": "
            + result.recordsWritten() + " records written to " + outputFile);
        return 1;
      }
      case FAILED -> {
        out.println("batch " + batchId + " failed: " + result.failureMessage());
        return 1;
      }
      case TERMINATED -> {
        out.println("batch " + batchId + " terminated");
        return 1;
      }
      default -> {
        out.println("batch " + batchId + ": no completed, failed or terminated notification on "
            + topics.notification() + " within " + timeout.toSeconds() + " s (last status: "
            + (result.notification() == null ? "none seen" : result.notification().status().json()) + ")");
        return 1;
      }
    }
  }
}

package org.hri.local.consumer;

import java.nio.file.Path;
import java.time.Duration;
import org.hri.local.tools.KafkaTool;
import org.hri.pipeline.topics.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line of the Data Consumer ({@link BatchConsumer}): waits for a batch's final notification and writes a
 * completed batch's valid records to a file. Exit code 0 when the batch completed and all its valid records were
 * written; 1 when it failed or was terminated, no final notification arrived in time, or records were missing;
 * 2 for a usage error.
 */
@Command(name = "ConsumerTool",
    description = "Waits for the batch's final notification; writes a completed batch's records to FILE (NDJSON).",
    exitCodeList = {"0:completed and written", "1:failed, terminated, timeout or records missing", "2:usage error"})
public final class ConsumerTool extends KafkaTool {
  @Mixin private KafkaTool.Stream stream;

  @Option(names = "--batchId", required = true, paramLabel = "ID", description = "the batch to read")
  private String batchId;

  @Option(names = "--outputFile", required = true, paramLabel = "FILE", description = "where its records go")
  private Path outputFile;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "seconds to wait for the notification, and again for the records (default 600)")
  private Long timeoutSeconds;

  @Mixin private KafkaTool.KafkaClient kafka;

  public static void main(String[] args) {
    System.exit(new ConsumerTool().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() {
    TopicNames topics = topics(stream.input);
    Duration timeout = Duration.ofSeconds(atLeast("--timeout", timeoutSeconds, 600, 1));
    BatchConsumer consumer = new BatchConsumer(topics, kafkaClient(stream.brokers, kafka));

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

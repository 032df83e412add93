package org.hri.local.integrator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import org.hri.pipeline.model.Json;

/**
 * What became of one input file.
 *
 * @param file the file's name as found in {@code in/}
 * @param movedTo where the file is now ({@code processed/...} or {@code failed/...}); null if it could not be moved
 * @param statusFile the status file beside it; null if it could not be written
 * @param outcome the outcome; only {@link Outcome#COMPLETED} moves the file to {@code processed/}
 * @param batchId the batch's id, or null when no batch was created
 * @param expectedRecordCount records sent and announced with sendComplete; null before sendComplete
 * @param actualRecordCount records the pipeline counted (from the final batch status), or null
 * @param invalidRecordCount invalid records the pipeline counted (from the final batch status), or null
 * @param failureMessage why the file failed (the batch's failureMessage when validation failed it), or null
 * @param elapsed time from picking the file up until the outcome was known
 */
public record IngestResult(
    String file,
    Path movedTo,
    Path statusFile,
    Outcome outcome,
    String batchId,
    Long expectedRecordCount,
    Long actualRecordCount,
    Long invalidRecordCount,
    String failureMessage,
    Duration elapsed) {

  /** How the processing of a file ended. */
  public enum Outcome {
    /** The batch reached {@code completed}. */
    COMPLETED("completed"),
    /** Validation failed the batch (status {@code failed}); {@code failureMessage} says why. */
    FAILED("failed"),
    /**
     * The batch was terminated: by this tool because it could not finish sending it (produce error, file
     * unreadable midway, interruption, sendComplete refused), or by someone else.
     */
    TERMINATED("terminated"),
    /** The batch did not reach a final status within the timeout after sendComplete. */
    TIMEOUT("timeout"),
    /** The file could not be read (or has no records, or an unknown extension); no batch was created. */
    UNREADABLE("unreadable"),
    /**
     * The Management API refused or failed a call, so the batch could not be created (no batch), or its
     * status could not be followed or fixed; {@code failureMessage} says which.
     */
    ERROR("error"),
    /**
     * The tool was stopped: before the batch was created (the file stays in {@code in/}, no status file), or
     * while waiting for the final status of a fully sent batch (the file goes to {@code failed/}).
     */
    INTERRUPTED("interrupted");

    private final String json;

    Outcome(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }

    @Override
    public String toString() {
      return json;
    }
  }

  /** Elapsed seconds with millisecond precision. */
  public double seconds() {
    return elapsed.toMillis() / 1000.0;
  }

  /**
   * The status file's content: {@code batchId, status, expectedRecordCount, actualRecordCount,
   * invalidRecordCount, failureMessage, seconds}; absent values are JSON nulls.
   */
  public ObjectNode statusJson() {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("batchId", batchId);
    node.put("status", outcome.json());
    node.put("expectedRecordCount", expectedRecordCount);
    node.put("actualRecordCount", actualRecordCount);
    node.put("invalidRecordCount", invalidRecordCount);
    node.put("failureMessage", failureMessage);
    node.put("seconds", seconds());
    return node;
  }
}

package org.hri.local.consumer;

import java.nio.file.Path;
import org.hri.pipeline.model.BatchNotification;

/**
 * What {@link BatchConsumer#awaitBatch} found.
 *
 * @param batchId the batch
 * @param outcome see {@link Outcome}
 * @param notification the batch's final notification (for a timeout: the latest one seen, or null)
 * @param recordsWritten records written to the output file (0 unless completed or incomplete)
 * @param expectedRecords valid records of the batch ({@code actualRecordCount - invalidRecordCount}), or null when
 *     the batch did not complete or its notification has no counts
 * @param outputFile the output file, or null when none was written
 */
public record ConsumerResult(
    String batchId,
    Outcome outcome,
    BatchNotification notification,
    long recordsWritten,
    Long expectedRecords,
    Path outputFile) {

  /** How waiting for a batch ended. */
  public enum Outcome {
    /** Completed, and all its valid records were written. */
    COMPLETED,
    /**
     * Completed, but fewer valid records than announced were found on the output topic (the records found were
     * written).
     */
    INCOMPLETE,
    /** Validation failed the batch; the notification's {@code failureMessage} says why. */
    FAILED,
    /** The batch was terminated by its Data Integrator. */
    TERMINATED,
    /** No completed, failed or terminated notification arrived in time. */
    TIMEOUT
  }

  /** The notification's {@code failureMessage}, or null. */
  public String failureMessage() {
    return notification == null ? null : notification.failureMessage();
  }
}

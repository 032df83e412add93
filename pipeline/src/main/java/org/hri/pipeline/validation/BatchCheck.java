package org.hri.pipeline.validation;

import org.hri.pipeline.model.BatchStatus;

/**
 * The batch-level checks every record goes through before its content is validated, in the original job's
 * order, with its failure texts.
 */
record BatchCheck(Outcome outcome, String failure) {
  static final String NO_BATCH_ID = "Bad Message - No header or batchId node";
  static final String INVALID_BATCH_ID = "Bad Message - Invalid batchId header";
  static final String UNKNOWN_BATCH = "Bad Message - Unknown batchId";
  static final String ALREADY_COMPLETED = "Bad Message - batchId is already completed";

  enum Outcome {
    /** The batch is open: the validator decides, and the record counts toward the batch. */
    VALIDATE,
    /** The batch was terminated or failed: the record is dropped without a trace. */
    DROP,
    /** The record is invalid for a batch-level reason and does not count toward any batch. */
    INVALID
  }

  private static final BatchCheck VALIDATE = new BatchCheck(Outcome.VALIDATE, null);
  private static final BatchCheck DROP = new BatchCheck(Outcome.DROP, null);

  /** The check for a record of a batch with the given status; null means the batch is unknown. */
  static BatchCheck of(BatchStatus status) {
    if (status == null) {
      return new BatchCheck(Outcome.INVALID, UNKNOWN_BATCH);
    }
    return switch (status) {
      case STARTED, SEND_COMPLETED -> VALIDATE;
      case TERMINATED, FAILED -> DROP;
      case COMPLETED -> new BatchCheck(Outcome.INVALID, ALREADY_COMPLETED);
    };
  }
}

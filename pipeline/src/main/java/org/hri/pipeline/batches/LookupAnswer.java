package org.hri.pipeline.batches;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.hri.pipeline.mgmt.ManagementApiException;
import org.hri.pipeline.mgmt.RetryPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.InvalidNotificationException;

/**
 * What one answer to {@code GET batch} means for the records held for that batch. The answer is untrusted:
 * whatever it is, it costs at most that batch — never the stream.
 */
sealed interface LookupAnswer {
  String OTHER_STREAM = "Bad Message - batch belongs to another stream";
  String INVALID_BATCH = "Bad Message - HRI Management API answered an invalid batch";

  /** The batch exists and belongs to this stream. */
  record Found(BatchStatus status) implements LookupAnswer {}

  /** 404: the batch does not exist. */
  record Unknown() implements LookupAnswer {}

  /** The batch is given up: its records are invalid with {@code failure}, now and for the state's lifetime. */
  record Quarantined(String failure, String reason) implements LookupAnswer {}

  /** The API is failing for everyone: ask again after {@code backoff}, holding the records. */
  record Retry(Duration backoff, String reason) implements LookupAnswer {}

  static String rejectedFailure(int statusCode) {
    return "Bad Message - HRI Management API rejected the batch: HTTP " + statusCode;
  }

  /** The answer for a batch the API returned, for a job reading {@code inputTopic}. */
  static LookupAnswer found(BatchNotification batch, String inputTopic) {
    if (batch.topic() != null && !batch.topic().equals(inputTopic)) {
      return new Quarantined(OTHER_STREAM, "its topic is not " + inputTopic);
    }
    return new Found(batch.status());
  }

  /**
   * The answer for a failed call, the {@code failedAttempts}-th in a row (at least 1) after waiting {@code
   * waited} in backoffs: a 404 means unknown; a 4xx about the batch, or a batch that is not a valid notification,
   * quarantines it; anything else is retried until the policy gives up, which quarantines the batch too.
   */
  static LookupAnswer failed(IOException failure, int failedAttempts, Duration waited, RetryPolicy policy) {
    Objects.requireNonNull(failure, "failure");
    if (failure instanceof ManagementApiException answer) {
      if (answer.isNotFound()) {
        return new Unknown();
      }
      if (answer.concernsBatch()) {
        return new Quarantined(rejectedFailure(answer.statusCode()), "HTTP " + answer.statusCode());
      }
    } else if (failure instanceof InvalidNotificationException) {
      return new Quarantined(INVALID_BATCH, failure.getMessage());
    }
    Optional<Duration> backoff = policy.nextBackoff(failedAttempts, waited, failure);
    if (backoff.isEmpty()) {
      return new Quarantined("Bad Message - " + policy.giveUpMessage(), policy.giveUpMessage());
    }
    return new Retry(backoff.get(), failure.getClass().getSimpleName() + ": " + failure.getMessage());
  }
}

package org.hri.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.batches.BatchStatusSources;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.tracking.TrackBatches;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatedRecords;

/**
 * The job without its edges: takes the records of {@code *.in} ({@link #RECORDS}) and the batch notifications
 * ({@link #NOTIFICATIONS}), validates every record against its batch and the validator, tracks every batch,
 * and returns the valid records, the invalid-record notices and the verdicts. It knows neither Kafka nor the
 * Management API (except to look up an unknown batch, when the policy says so), so the whole graph runs on
 * {@code TestStream}s.
 *
 * <pre>{@code
 * BatchResults results =
 *     PCollectionTuple.of(ProcessBatches.RECORDS, records).and(ProcessBatches.NOTIFICATIONS, notifications)
 *         .apply(ProcessBatches.using(validation).withUnknownBatches(policy));
 * }</pre>
 */
public final class ProcessBatches extends PTransform<PCollectionTuple, BatchResults> {
  public static final TupleTag<HriRecord> RECORDS = new TupleTag<>("records") {};
  public static final TupleTag<BatchNotification> NOTIFICATIONS = new TupleTag<>("notifications") {};

  private final ValidateRecords validation;
  private final UnknownBatchPolicy unknownBatches;
  private final Duration completionDelay;
  private final Duration finishedBatchRetention;
  private final Duration stateTtl;

  private ProcessBatches(
      ValidateRecords validation, UnknownBatchPolicy unknownBatches, Duration completionDelay,
      Duration finishedBatchRetention, Duration stateTtl) {
    this.validation = validation;
    this.unknownBatches = unknownBatches;
    this.completionDelay = completionDelay;
    this.finishedBatchRetention = finishedBatchRetention;
    this.stateTtl = stateTtl;
  }

  // The job's defaults (HriPipelineOptions uses them too).
  static final long DEFAULT_COMPLETION_DELAY_MS = 300_000L;
  static final long DEFAULT_UNKNOWN_BATCH_TIMEOUT_MS = 60_000L;
  static final long DEFAULT_FINISHED_BATCH_RETENTION_MS = 3_600_000L;
  static final long DEFAULT_STATE_TTL_MS = 604_800_000L;

  /**
   * Validates with {@code validation}, with the job's defaults: unknown batches held for a minute, a 5-minute
   * completion delay, finished batches known for an hour, batch state kept for 7 days.
   */
  public static ProcessBatches using(ValidateRecords validation) {
    Duration stateTtl = Duration.ofMillis(DEFAULT_STATE_TTL_MS);
    return new ProcessBatches(
        Objects.requireNonNull(validation, "validation"),
        UnknownBatchPolicy.hold(Duration.ofMillis(DEFAULT_UNKNOWN_BATCH_TIMEOUT_MS), stateTtl),
        Duration.ofMillis(DEFAULT_COMPLETION_DELAY_MS), Duration.ofMillis(DEFAULT_FINISHED_BATCH_RETENTION_MS),
        stateTtl);
  }

  /** What happens to a record whose batch no notification has announced (yet). */
  public ProcessBatches withUnknownBatches(UnknownBatchPolicy policy) {
    return new ProcessBatches(
        validation, Objects.requireNonNull(policy, "policy"), completionDelay, finishedBatchRetention, stateTtl);
  }

  /** How long after {@code sendCompleted} a batch with all its records gets its verdict (late records count). */
  public ProcessBatches withCompletionDelay(Duration delay) {
    return new ProcessBatches(validation, unknownBatches, delay, finishedBatchRetention, stateTtl);
  }

  /** How long a batch with a final status stays known to validation (its late records are then invalid). */
  public ProcessBatches withFinishedBatchRetention(Duration retention) {
    return new ProcessBatches(validation, unknownBatches, completionDelay, retention, stateTtl);
  }

  /** How long a batch's state is kept after its last event. */
  public ProcessBatches withStateTtl(Duration ttl) {
    return new ProcessBatches(validation, unknownBatches, completionDelay, finishedBatchRetention, ttl);
  }

  @Override
  public BatchResults expand(PCollectionTuple input) {
    PCollection<BatchNotification> notifications = input.get(NOTIFICATIONS);
    BatchStatusSources batches = BatchStatusSources.from(notifications, unknownBatches, finishedBatchRetention);
    ValidatedRecords validated = input.get(RECORDS).apply("ValidateRecords", validation.withBatches(batches));
    PCollection<BatchNotification> verdicts =
        TrackBatches.events(validated.counts(), notifications)
            .apply("TrackBatches", TrackBatches.withCompletionDelay(completionDelay).withStateTtl(stateTtl));
    return new BatchResults(validated.valid(), validated.validParts(), validated.invalid(), verdicts);
  }
}

package org.hri.pipeline.validation;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn.FinishBundleContext;
import org.apache.beam.sdk.transforms.DoFn.MultiOutputReceiver;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchIdHeader;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.joda.time.Instant;

/**
 * Routes one record by its batch's status and the validator's verdict, and counts valid and invalid records
 * per batch for the bundle, so counts leave validation as one element per batch and bundle.
 */
final class RouteAndCount implements Serializable {
  private static final Counter VALID = Metrics.counter("hri", "records-valid");
  private static final Counter INVALID = Metrics.counter("hri", "records-invalid");
  private static final Counter DROPPED = Metrics.counter("hri", "records-dropped");

  private final ValidateRecords validation;
  private transient Map<String, long[]> bundleCounts;
  private transient Instant bundleTimestamp;
  private transient BoundedWindow bundleWindow;

  RouteAndCount(ValidateRecords validation) {
    this.validation = validation;
  }

  void setup() throws Exception {
    validation.setup();
  }

  void teardown() throws Exception {
    validation.teardown();
  }

  void startBundle() {
    bundleCounts = new HashMap<>();
    bundleTimestamp = null;
    bundleWindow = null;
  }

  /** A record without a valid batch id: invalid, counted toward no batch. */
  void noBatch(HriRecord record, BatchIdHeader header, MultiOutputReceiver out) {
    reject(
        record, null,
        header.kind() == BatchIdHeader.Kind.MISSING ? BatchCheck.NO_BATCH_ID : BatchCheck.INVALID_BATCH_ID, out);
  }

  /** A record invalid for a batch-level reason ({@code failure}): counted toward no batch. */
  void reject(HriRecord record, String batchId, String failure, MultiOutputReceiver out) {
    INVALID.inc();
    out.get(ValidatedRecords.INVALID).output(InvalidRecord.of(record, batchId, failure));
  }

  /** Routes a record of batch {@code batchId}, whose status is {@code status} (null: unknown batch). */
  void route(
      HriRecord record, String batchId, BatchStatus status, Instant timestamp, BoundedWindow window,
      MultiOutputReceiver out) {
    BatchCheck check = BatchCheck.of(status);
    switch (check.outcome()) {
      case DROP -> DROPPED.inc();
      case INVALID -> reject(record, batchId, check.failure(), out);
      case VALIDATE -> {
        ValidationResult result = LocalValidator.validate(validation, record);
        if (result.isValid()) {
          VALID.inc();
          out.get(ValidatedRecords.VALID).output(record);
        } else {
          INVALID.inc();
          out.get(ValidatedRecords.INVALID).output(InvalidRecord.of(record, batchId, result.failure()));
        }
        count(batchId, result.isValid(), timestamp, window);
      }
    }
  }

  private void count(String batchId, boolean valid, Instant timestamp, BoundedWindow window) {
    bundleCounts.computeIfAbsent(batchId, id -> new long[2])[valid ? 0 : 1]++;
    if (bundleTimestamp == null || timestamp.isBefore(bundleTimestamp)) {
      bundleTimestamp = timestamp;
    }
    bundleWindow = window;
  }

  void finishBundle(FinishBundleContext context) {
    bundleCounts.forEach(
        (batchId, counts) ->
            context.output(
                ValidatedRecords.COUNTS,
                KV.of(batchId, new BatchCounts(counts[0], counts[1])),
                bundleTimestamp,
                bundleWindow));
    bundleCounts.clear();
  }
}

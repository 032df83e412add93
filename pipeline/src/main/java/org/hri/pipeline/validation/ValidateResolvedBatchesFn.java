package org.hri.pipeline.validation;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.hri.pipeline.batches.ResolvedRecord;
import org.hri.pipeline.model.HriRecord;
import org.joda.time.Instant;

/** Validates records whose batch status was resolved after the side input missed it. */
final class ValidateResolvedBatchesFn extends RoutingFn<ResolvedRecord> {
  ValidateResolvedBatchesFn(RouteAndCount routing) {
    super(routing);
  }

  @ProcessElement
  public void process(
      @Element ResolvedRecord resolved, @Timestamp Instant timestamp, BoundedWindow window,
      MultiOutputReceiver out) {
    HriRecord record = resolved.record();
    if (resolved.rejection() != null) {
      routing.reject(record, record.batchId(), resolved.rejection(), out);
    } else {
      routing.route(record, record.batchId(), resolved.status(), timestamp, window, out);
    }
  }
}

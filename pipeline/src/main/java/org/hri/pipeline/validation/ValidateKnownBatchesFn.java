package org.hri.pipeline.validation;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.batches.PublishedStatuses;
import org.hri.pipeline.model.BatchIdHeader;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriRecord;
import org.joda.time.Instant;

/**
 * Validates records of batches the side input knows, in parallel and without a shuffle; records of batches
 * it does not know (yet) go to {@link #UNRESOLVED}, keyed by batch id.
 */
final class ValidateKnownBatchesFn extends RoutingFn<HriRecord> {
  static final TupleTag<KV<String, HriRecord>> UNRESOLVED = new TupleTag<>("unresolved") {};

  private final PCollectionView<PublishedStatuses> batches;
  // The side input is read once per bundle: decoding it per record would cost more than validating.
  private transient PublishedStatuses statuses;

  ValidateKnownBatchesFn(RouteAndCount routing, PCollectionView<PublishedStatuses> batches) {
    super(routing);
    this.batches = batches;
  }

  @Override
  protected void bundleStarted() {
    statuses = null;
  }

  @ProcessElement
  public void process(
      @Element HriRecord record, @Timestamp Instant timestamp, BoundedWindow window, ProcessContext context,
      MultiOutputReceiver out) {
    BatchIdHeader header = record.batchIdHeader();
    if (header.kind() != BatchIdHeader.Kind.VALID) {
      routing.noBatch(record, header, out);
      return;
    }
    String batchId = header.id();
    if (statuses == null) {
      statuses = context.sideInput(batches);
    }
    BatchStatus status = statuses.statusOf(batchId);
    if (status == null) {
      out.get(UNRESOLVED).output(KV.of(batchId, record));
    } else {
      routing.route(record, batchId, status, timestamp, window, out);
    }
  }
}

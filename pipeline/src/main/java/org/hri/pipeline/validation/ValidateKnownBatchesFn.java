package org.hri.pipeline.validation;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.batches.BatchStatusSnapshot;
import org.hri.pipeline.model.BatchIdHeader;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriRecord;
import org.joda.time.Instant;

/**
 * Validates records of batches the side input knows, in parallel and without a shuffle; records of batches
 * it does not know (yet) go to {@link #UNRESOLVED}, keyed by batch id.
 */
final class ValidateKnownBatchesFn extends DoFn<HriRecord, HriRecord> {
  static final TupleTag<KV<String, HriRecord>> UNRESOLVED = new TupleTag<>("unresolved") {};

  private final RecordRouter router;
  private final PCollectionView<BatchStatusSnapshot> batches;
  // The side input is read once per bundle: decoding it per record would cost more than validating.
  private transient BatchStatusSnapshot snapshot;

  ValidateKnownBatchesFn(RecordRouter router, PCollectionView<BatchStatusSnapshot> batches) {
    this.router = router;
    this.batches = batches;
  }

  @Setup
  public void setup() throws Exception {
    router.setup();
  }

  @StartBundle
  public void startBundle() {
    router.startBundle();
    snapshot = null;
  }

  @ProcessElement
  public void process(
      @Element HriRecord record, @Timestamp Instant timestamp, BoundedWindow window, ProcessContext context,
      MultiOutputReceiver out) {
    BatchIdHeader header = record.batchIdHeader();
    if (header.kind() != BatchIdHeader.Kind.VALID) {
      router.noBatch(record, header, out);
      return;
    }
    String batchId = header.id();
    if (snapshot == null) {
      snapshot = context.sideInput(batches);
    }
    BatchStatus status = snapshot.statusOf(batchId);
    if (status == null) {
      out.get(UNRESOLVED).output(KV.of(batchId, record));
    } else {
      router.route(record, batchId, status, timestamp, window, out);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    router.finishBundle(context);
  }

  @Teardown
  public void teardown() throws Exception {
    router.teardown();
  }
}

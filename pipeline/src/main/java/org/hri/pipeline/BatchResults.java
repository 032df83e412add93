package org.hri.pipeline;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;

/**
 * What {@link ProcessBatches} produces: valid records (unchanged, for {@code *.out}), invalid-record notices
 * (for {@code *.invalid}) and each batch's verdict ({@code completed} or {@code failed}, with its counts).
 */
public final class BatchResults implements POutput {
  private static final TupleTag<HriRecord> VALID = new TupleTag<>("valid") {};
  private static final TupleTag<InvalidRecord> INVALID = new TupleTag<>("invalid") {};
  private static final TupleTag<BatchNotification> VERDICTS = new TupleTag<>("verdicts") {};

  private final PCollection<HriRecord> valid;
  private final PCollectionList<HriRecord> validParts;
  private final PCollection<InvalidRecord> invalid;
  private final PCollection<BatchNotification> verdicts;

  BatchResults(
      PCollection<HriRecord> valid, PCollectionList<HriRecord> validParts, PCollection<InvalidRecord> invalid,
      PCollection<BatchNotification> verdicts) {
    this.valid = valid;
    this.validParts = validParts;
    this.invalid = invalid;
    this.verdicts = verdicts;
  }

  public PCollection<HriRecord> valid() {
    return valid;
  }

  /** {@link #valid} as the parts it flattens: see {@link ValidatedRecords#validParts}. */
  public PCollectionList<HriRecord> validParts() {
    return validParts;
  }

  public PCollection<InvalidRecord> invalid() {
    return invalid;
  }

  public PCollection<BatchNotification> verdicts() {
    return verdicts;
  }

  @Override
  public Pipeline getPipeline() {
    return valid.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(VALID, valid, INVALID, invalid, VERDICTS, verdicts);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}

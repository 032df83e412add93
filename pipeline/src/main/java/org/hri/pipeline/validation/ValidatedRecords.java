package org.hri.pipeline.validation;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;

/**
 * What {@link ValidateRecords} produces: valid records (unchanged, for {@code *.out}), invalid-record notices
 * (for {@code *.invalid}), and valid/invalid counts per batch, pre-aggregated per bundle, for the tracker.
 */
public final class ValidatedRecords implements POutput {
  static final TupleTag<HriRecord> VALID = new TupleTag<>("valid") {};
  static final TupleTag<InvalidRecord> INVALID = new TupleTag<>("invalid") {};
  static final TupleTag<KV<String, BatchCounts>> COUNTS = new TupleTag<>("counts") {};

  private final PCollection<HriRecord> valid;
  private final PCollectionList<HriRecord> validParts;
  private final PCollection<InvalidRecord> invalid;
  private final PCollection<KV<String, BatchCounts>> counts;

  ValidatedRecords(
      PCollection<HriRecord> valid, PCollectionList<HriRecord> validParts, PCollection<InvalidRecord> invalid,
      PCollection<KV<String, BatchCounts>> counts) {
    this.valid = valid;
    this.validParts = validParts;
    this.invalid = invalid;
    this.counts = counts;
  }

  public PCollection<HriRecord> valid() {
    return valid;
  }

  /**
   * The valid records as the parts {@link #valid} flattens (known and resolved batches): a writer that applies
   * its per-record steps to each part before flattening keeps them in the validating task (on Flink, a flatten
   * is an operator input of its own, so the step after it is not chained and every record is serialized).
   */
  public PCollectionList<HriRecord> validParts() {
    return validParts;
  }

  public PCollection<InvalidRecord> invalid() {
    return invalid;
  }

  /** Count deltas keyed by batch id; their sum per batch is what validation decided for that batch. */
  public PCollection<KV<String, BatchCounts>> counts() {
    return counts;
  }

  @Override
  public Pipeline getPipeline() {
    return valid.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(VALID, valid, INVALID, invalid, COUNTS, counts);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}

package org.hri.pipeline.validation;

import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.hri.pipeline.batches.BatchStatusSources;
import org.hri.pipeline.batches.ResolveUnknownBatches;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.HriRecordCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecordCoder;

/**
 * Validates HRI records: the base transform validator authors extend.
 *
 * <p>Every record goes through the batch checks of the original job — a record without a {@code batchId}
 * header, or of an unknown batch, is invalid; a record of a terminated or failed batch is dropped; a record
 * of a completed batch is invalid — and, while its batch is open, through {@link #validate}. A validator
 * that throws anything makes the record invalid with the throwable's class name alone (messages quote input).
 *
 * <p>To write a validator, extend this class and implement {@link #validate}; override {@link #setup} and
 * {@link #teardown} for state that is expensive to build (parsers, schemas). Each worker thread gets its own
 * deserialized copy of the transform, so fields set in {@code setup} need no synchronisation, and fields set
 * in the constructor must be serializable. For a plain function use {@link #using(RecordValidator)}.
 *
 * <p>The transform is immutable. It needs the status of each record's batch: the job applies
 * {@link #withBatches}, a transform of its own that leaves this one unchanged.
 */
public abstract class ValidateRecords extends PTransform<PCollection<HriRecord>, ValidatedRecords> {
  protected ValidateRecords() {}

  /** A validation transform that checks each record's content with {@code validator}. */
  public static ValidateRecords using(RecordValidator validator) {
    return new FunctionValidateRecords(Objects.requireNonNull(validator, "validator"));
  }

  /** This validation with the status of each record's batch taken from {@code batches}; this one is unchanged. */
  public final PTransform<PCollection<HriRecord>, ValidatedRecords> withBatches(BatchStatusSources batches) {
    return new ValidateAgainstBatches(this, Objects.requireNonNull(batches, "batches"));
  }

  /** Builds per-worker state before the first record; runs once per deserialized copy. */
  protected void setup() throws Exception {}

  /** Decides whether the content of one record of an open batch is valid. */
  protected abstract ValidationResult validate(HriRecord record) throws Exception;

  /** Releases what {@link #setup} built. */
  protected void teardown() throws Exception {}

  /** Validation needs the batch statuses: apply {@link #withBatches} instead. */
  @Override
  public final ValidatedRecords expand(PCollection<HriRecord> records) {
    throw new IllegalStateException("ValidateRecords needs batch statuses: apply withBatches(...) instead");
  }

  private ValidatedRecords expand(PCollection<HriRecord> records, BatchStatusSources batches) {
    RouteAndCount routing = new RouteAndCount(this);
    TupleTagList additional = TupleTagList.of(ValidatedRecords.INVALID).and(ValidatedRecords.COUNTS);

    PCollectionTuple known =
        withCoders(
            records.apply(
                "ValidateKnownBatches",
                ParDo.of(new ValidateKnownBatchesFn(routing, batches.sideInput()))
                    .withSideInputs(batches.sideInput())
                    .withOutputTags(ValidatedRecords.VALID, additional.and(ValidateKnownBatchesFn.UNRESOLVED))));
    PCollectionTuple resolved =
        withCoders(
            known
                .get(ValidateKnownBatchesFn.UNRESOLVED)
                .setCoder(KvCoder.of(StringUtf8Coder.of(), HriRecordCoder.of()))
                .apply(
                    "ResolveUnknownBatches",
                    ResolveUnknownBatches.using(batches.notifications(), batches.policy()))
                .apply(
                    "ValidateResolvedBatches",
                    ParDo.of(new ValidateResolvedBatchesFn(routing))
                        .withOutputTags(ValidatedRecords.VALID, additional)));

    return new ValidatedRecords(
        flatten("Valid", ValidatedRecords.VALID, known, resolved),
        PCollectionList.of(known.get(ValidatedRecords.VALID)).and(resolved.get(ValidatedRecords.VALID)),
        flatten("Invalid", ValidatedRecords.INVALID, known, resolved),
        flatten("Counts", ValidatedRecords.COUNTS, known, resolved));
  }

  private static PCollectionTuple withCoders(PCollectionTuple outputs) {
    outputs.get(ValidatedRecords.VALID).setCoder(HriRecordCoder.of());
    outputs.get(ValidatedRecords.INVALID).setCoder(InvalidRecordCoder.of());
    outputs.get(ValidatedRecords.COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), BatchCounts.Coder.of()));
    return outputs;
  }

  private static <T> PCollection<T> flatten(String name, TupleTag<T> tag, PCollectionTuple known, PCollectionTuple resolved) {
    return PCollectionList.of(known.get(tag))
        .and(resolved.get(tag))
        .apply(name, Flatten.pCollections())
        .setCoder(known.get(tag).getCoder());
  }

  private static final class ValidateAgainstBatches extends PTransform<PCollection<HriRecord>, ValidatedRecords> {
    private final ValidateRecords validation;
    private final transient BatchStatusSources batches;

    ValidateAgainstBatches(ValidateRecords validation, BatchStatusSources batches) {
      this.validation = validation;
      this.batches = batches;
    }

    @Override
    public ValidatedRecords expand(PCollection<HriRecord> records) {
      return validation.expand(records, batches);
    }
  }

  /** Adapts a plain {@link RecordValidator}. */
  private static final class FunctionValidateRecords extends ValidateRecords {
    private final RecordValidator validator;

    FunctionValidateRecords(RecordValidator validator) {
      this.validator = validator;
    }

    @Override
    protected ValidationResult validate(HriRecord record) throws Exception {
      return validator.validate(record);
    }
  }
}

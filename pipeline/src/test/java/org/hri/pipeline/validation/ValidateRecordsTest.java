package org.hri.pipeline.validation;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.batches.BatchStatusSources;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.hri.pipeline.model.InvalidRecord;
import org.junit.jupiter.api.Test;

/** The batch checks and the validator hooks of {@link ValidateRecords}, with every batch known up front. */
class ValidateRecordsTest {
  private static final String TOPIC = "ingest.t1.di.in";
  private static final long BIG_OFFSET = 3_000_000_000L;

  private final TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);

  @Test
  void routesRecordsByBatchStatusAndValidatorVerdict() {
    ValidatedRecords result =
        validate(
            ValidateRecords.using(new BodyRulesValidator()),
            List.of(
                notification("open", BatchStatus.STARTED),
                notification("closing", BatchStatus.SEND_COMPLETED),
                notification("done", BatchStatus.COMPLETED),
                notification("stopped", BatchStatus.TERMINATED),
                notification("broken", BatchStatus.FAILED)),
            List.of(
                record("open", 1, "ok"),
                record("open", 2, "bad"),
                record("open", 3, "throw"),
                record("closing", 4, "ok"),
                record("done", 5, "ok"),
                record("stopped", 6, "ok"),
                record("broken", 7, "ok"),
                record(null, 8, "ok"),
                record("open", BIG_OFFSET, "bad")));

    PAssert.that(result.valid()).containsInAnyOrder(record("open", 1, "ok"), record("closing", 4, "ok"));
    PAssert.that(result.invalid())
        .containsInAnyOrder(
            new InvalidRecord("open", TOPIC, 0, 2, "body says bad"),
            new InvalidRecord("open", TOPIC, 0, 3, "java.lang.IllegalStateException"),
            new InvalidRecord("done", TOPIC, 0, 5, "Bad Message - batchId is already completed"),
            new InvalidRecord(null, TOPIC, 0, 8, "Bad Message - No header or batchId node"),
            new InvalidRecord("open", TOPIC, 0, BIG_OFFSET, "body says bad"));
    PAssert.that(sumPerBatch(result))
        .containsInAnyOrder(KV.of("open/valid", 1L), KV.of("open/invalid", 3L), KV.of("closing/valid", 1L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void setupAndTeardownHooksRunAroundValidation() {
    ValidatedRecords result =
        validate(
            new PrefixValidation(), List.of(notification("open", BatchStatus.STARTED)),
            List.of(record("open", 1, "ok"), record("open", 2, "no")));

    PAssert.that(result.valid()).containsInAnyOrder(record("open", 1, "ok"));
    PAssert.that(result.invalid())
        .containsInAnyOrder(new InvalidRecord("open", TOPIC, 0, 2, "does not start with the prefix set up"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void expandingWithoutBatchStatusesIsAnError() {
    PCollection<HriRecord> records = pipeline.apply(Create.of(record("open", 1, "ok")).withCoder(HriRecordCoder.of()));
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> records.apply(new PrefixValidation()));
    assertThat(error.getMessage(), is("ValidateRecords needs batch statuses: apply withBatches(...) instead"));
  }

  private ValidatedRecords validate(
      ValidateRecords validation, List<BatchNotification> notifications, List<HriRecord> records) {
    PCollection<BatchNotification> batches =
        pipeline.apply("Notifications", Create.of(notifications).withCoder(BatchNotificationCoder.of()));
    BatchStatusSources statuses =
        BatchStatusSources.from(
            batches, UnknownBatchPolicy.hold(Duration.ofMinutes(1), Duration.ofDays(7)), Duration.ofHours(1));
    return pipeline
        .apply("Records", Create.of(records).withCoder(HriRecordCoder.of()))
        .apply(validation.withBatches(statuses));
  }

  /** Count deltas summed per batch and kind, whatever the bundling. */
  private static PCollection<KV<String, Long>> sumPerBatch(ValidatedRecords result) {
    return result
        .counts()
        .apply(
            MapElements.into(TypeDescriptors.lists(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs())))
                .via(kv -> List.of(
                    KV.of(kv.getKey() + "/valid", kv.getValue().valid()),
                    KV.of(kv.getKey() + "/invalid", kv.getValue().invalid()))))
        .apply(org.apache.beam.sdk.transforms.Flatten.iterables())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply(org.apache.beam.sdk.transforms.Filter.by(kv -> kv.getValue() > 0))
        .apply(Sum.longsPerKey());
  }

  private static BatchNotification notification(String id, BatchStatus status) {
    return new BatchNotification(id, "n", "di", TOPIC, "claims", status, null, null, null, null, null, null, null, null, null);
  }

  static HriRecord record(String batchId, long offset, String body) {
    List<HriHeader> headers =
        batchId == null ? List.of() : List.of(new HriHeader("batchId", batchId.getBytes(StandardCharsets.UTF_8)));
    return new HriRecord(headers, null, body.getBytes(StandardCharsets.UTF_8), TOPIC, 0, offset);
  }

  /** "ok" is valid, "bad" is invalid, "throw" throws. */
  static final class BodyRulesValidator implements RecordValidator {
    @Override
    public ValidationResult validate(HriRecord record) {
      return switch (record.valueAsString()) {
        case "ok" -> ValidationResult.valid();
        case "throw" -> throw new IllegalStateException("validator blew up");
        default -> ValidationResult.invalid("body says " + record.valueAsString());
      };
    }
  }

  /** A subclass using the hooks: its state exists only between setup and teardown. */
  static final class PrefixValidation extends ValidateRecords {
    private transient String prefix;

    @Override
    protected void setup() {
      prefix = "ok";
    }

    @Override
    protected ValidationResult validate(HriRecord record) {
      return record.valueAsString().startsWith(prefix)
          ? ValidationResult.valid()
          : ValidationResult.invalid("does not start with the prefix set up");
    }

    @Override
    protected void teardown() {
      prefix = null;
    }
  }
}

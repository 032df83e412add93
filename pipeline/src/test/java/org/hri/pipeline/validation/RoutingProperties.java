package org.hri.pipeline.validation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.hri.pipeline.batches.BatchStatusSources;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.hri.pipeline.model.InvalidRecord;

/**
 * Whatever a record's headers and whatever its validator does — answers, throws an exception or an error,
 * returns nothing, writes a novel — the record ends on exactly one of {@code *.out} and {@code *.invalid}, or
 * is dropped for a terminated or failed batch, with the failure the model below predicts: never a payload,
 * never more than 1 KB. Each try runs the real transform over hundreds of generated records.
 */
class RoutingProperties {
  private static final String TOPIC = "ingest.t1.di.in";
  private static final List<BatchStatus> STATUSES = List.of(BatchStatus.values());

  enum Header { MISSING, VALID, EMPTY, TOO_LONG, NOT_UTF8, CONTROL, TWICE }

  enum Action { VALID, INVALID, NOVEL, RUNTIME, CHECKED, STACK_OVERFLOW, NULL }

  record Case(Header header, int batch, Action action) {}

  @Property(tries = 6)
  void everyRecordEndsOnExactlyOneOutputWithThePredictedFailure(
      @ForAll("cases") List<Case> cases) {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    List<BatchNotification> notifications = new ArrayList<>();
    for (int batch = 0; batch < STATUSES.size(); batch++) {
      notifications.add(
          new BatchNotification("b" + batch, "n", "di", TOPIC, "claims", STATUSES.get(batch), null, null, null, null,
              null, null, null, null, null));
    }
    List<HriRecord> records = new ArrayList<>();
    List<HriRecord> expectedValid = new ArrayList<>();
    List<InvalidRecord> expectedInvalid = new ArrayList<>();
    for (int offset = 0; offset < cases.size(); offset++) {
      Case c = cases.get(offset);
      HriRecord record = record(c, offset);
      records.add(record);
      String failure = expectedFailure(c);
      if (failure == null && c.header() == Header.VALID && isOpen(c.batch())) {
        expectedValid.add(record);
      } else if (failure != null) {
        expectedInvalid.add(InvalidRecord.of(record, c.header() == Header.VALID ? "b" + c.batch() : null, failure));
      }
    }

    BatchStatusSources statuses =
        BatchStatusSources.from(
            pipeline.apply("Notifications", Create.of(notifications).withCoder(BatchNotificationCoder.of())),
            UnknownBatchPolicy.hold(Duration.ofMinutes(1), Duration.ofDays(7)),
            Duration.ofHours(1));
    ValidatedRecords result =
        pipeline
            .apply("Records", Create.of(records).withCoder(HriRecordCoder.of()))
            .apply(ValidateRecords.using(new ActionValidator()).withBatches(statuses));

    PAssert.that(result.valid()).containsInAnyOrder(expectedValid);
    PAssert.that(result.invalid()).containsInAnyOrder(expectedInvalid);
    pipeline.run().waitUntilFinish();
  }

  @Provide
  Arbitrary<List<Case>> cases() {
    return Combinators.combine(
            Arbitraries.of(Header.class), Arbitraries.integers().between(0, STATUSES.size() - 1),
            Arbitraries.of(Action.class))
        .as(Case::new)
        .list()
        .ofMinSize(300)
        .ofMaxSize(600);
  }

  private static boolean isOpen(int batch) {
    BatchStatus status = STATUSES.get(batch);
    return status == BatchStatus.STARTED || status == BatchStatus.SEND_COMPLETED;
  }

  /** The model: the failure text the record must carry, or null when it must be valid or dropped. */
  private static String expectedFailure(Case c) {
    switch (c.header()) {
      case MISSING:
        return "Bad Message - No header or batchId node";
      case VALID:
        break;
      default:
        return "Bad Message - Invalid batchId header";
    }
    BatchStatus status = STATUSES.get(c.batch());
    if (status == BatchStatus.COMPLETED) {
      return "Bad Message - batchId is already completed";
    }
    if (!isOpen(c.batch())) {
      return null; // dropped
    }
    return switch (c.action()) {
      case VALID -> null;
      case INVALID -> "too short";
      case NOVEL -> "x".repeat(1021) + "...";
      case RUNTIME -> IllegalArgumentException.class.getName();
      case CHECKED -> java.io.IOException.class.getName();
      case STACK_OVERFLOW -> StackOverflowError.class.getName();
      case NULL -> "Validator returned no result";
    };
  }

  private static HriRecord record(Case c, int offset) {
    byte[] id = ("b" + c.batch()).getBytes(StandardCharsets.UTF_8);
    List<HriHeader> headers = new ArrayList<>();
    switch (c.header()) {
      case MISSING -> {}
      case VALID -> headers.add(new HriHeader("batchId", id));
      case EMPTY -> headers.add(new HriHeader("batchId", new byte[0]));
      case TOO_LONG -> headers.add(new HriHeader("batchId", "b".repeat(257).getBytes(StandardCharsets.UTF_8)));
      case NOT_UTF8 -> headers.add(new HriHeader("batchId", new byte[] {(byte) 0xC3, 0x28}));
      case CONTROL -> headers.add(new HriHeader("batchId", "b\u0007".getBytes(StandardCharsets.UTF_8)));
      case TWICE -> {
        headers.add(new HriHeader("batchId", id));
        headers.add(new HriHeader("batchId", id));
      }
    }
    String body = c.action().name() + " SECRET-PAYLOAD-" + offset;
    return new HriRecord(headers, null, body.getBytes(StandardCharsets.UTF_8), TOPIC, 0, offset);
  }

  /** Does what the record's body says; its exceptions quote the payload, which must never reach a failure. */
  static final class ActionValidator implements RecordValidator {
    @Override
    public ValidationResult validate(HriRecord record) throws Exception {
      String body = record.valueAsString();
      return switch (Action.valueOf(body.substring(0, body.indexOf(' ')))) {
        case VALID -> ValidationResult.valid();
        case INVALID -> ValidationResult.invalid("too short");
        case NOVEL -> ValidationResult.invalid("x".repeat(5000));
        case RUNTIME -> throw new IllegalArgumentException(body);
        case CHECKED -> throw new java.io.IOException(body);
        case STACK_OVERFLOW -> ValidationResult.invalid(String.valueOf(depth(0)));
        case NULL -> null;
      };
    }

    /** Recursion without end, like a parser on deeply nested input. */
    private static int depth(int level) {
      return depth(level + 1) + 1;
    }
  }
}

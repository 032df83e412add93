package org.hri.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hri.testkit.ValidatorTestKit.header;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kit on one running job: each test sends a batch of its own. */
class ValidatorTestKitTest {
  private static ValidatorTestRun run;

  /** Valid when the value starts with '{'; throws for "boom"; answers nothing for a null value. */
  private static ValidateRecords objectsOnly() {
    return ValidateRecords.using(
        record -> {
          String value = record.valueAsString();
          if (value == null) {
            return null;
          }
          if (value.equals("boom")) {
            throw new IllegalStateException("boom at the validator");
          }
          return value.startsWith("{") ? ValidationResult.valid() : ValidationResult.invalid("Not a JSON object");
        });
  }

  @BeforeAll
  static void startJob() {
    run = ValidatorTestKit.forValidator(objectsOnly()).start();
  }

  @AfterAll
  static void stopJob() {
    run.close();
  }

  @Test
  void aMixedBatchCompletesWithEachRecordRoutedAndTheJobsFailureTexts() {
    ValidatorTestRun.Outcome outcome =
        run.batch("mixed")
            .record("k0", "{\"n\":0}", header("trace", "t0"), header("あいう", "値"))
            .record("not json")
            .record("k2", "{\"n\":2}")
            .record("boom")
            .record((byte[]) null, null)
            .sendCompleted()
            .awaitVerdict();

    assertThat(outcome.status(), is(BatchStatus.COMPLETED));
    assertThat(outcome.failureMessage(), nullValue());
    assertThat(outcome.verdict().actualRecordCount(), is(5L));
    assertThat(outcome.verdict().invalidRecordCount(), is(3L));
    assertThat(outcome.recordsSent(), is(5));
    assertThat(outcome.validValues(), containsInAnyOrder("{\"n\":0}", "{\"n\":2}"));
    HriRecord first =
        outcome.validRecords().stream()
            .filter(r -> "{\"n\":0}".equals(r.valueAsString()))
            .findFirst()
            .orElseThrow();
    assertThat(new String(first.key(), UTF_8), is("k0"));
    assertThat(first.headers(), is(List.of(header("batchId", "mixed"), header("trace", "t0"), header("あいう", "値"))));
    assertThat(first.topic(), is(run.topics().output()));
    assertThat(
        outcome.failuresByRecord(),
        is(Map.of(
            1, "Not a JSON object",
            3, "java.lang.IllegalStateException",
            4, "Validator returned no result")));
    assertThat(outcome.invalidRecords().stream().map(InvalidRecord::batchId).toList(), everyItem(is("mixed")));
    assertThat(
        outcome.invalidRecords().stream().map(InvalidRecord::topic).toList(), everyItem(is(run.topics().input())));
    assertThat(
        outcome.invalidRecords().stream().map(n -> n.partition() + "@" + n.offset()).distinct().toList(), hasSize(3));
  }

  @Test
  void reachingTheInvalidThresholdFailsTheBatchWithoutSendCompleted() {
    ValidatorTestRun.Outcome outcome =
        run.batch("threshold").invalidThreshold(2).record("[1]").record("[2]").awaitVerdict();

    assertThat(outcome.status(), is(BatchStatus.FAILED));
    assertThat(
        outcome.failureMessage(),
        is("Failing Batch: threshold, too many invalid records invalidCount: 2 >= invalidThreshold: 2"));
    assertThat(outcome.failures(), is(List.of("Not a JSON object", "Not a JSON object")));
    assertThat(outcome.validRecords(), is(empty()));
  }

  @Test
  void aRecordWithoutBatchIdIsInvalidWithoutBatch() {
    InvalidRecord notice =
        run.sendWithoutBatchId("k".getBytes(UTF_8), "{}".getBytes(UTF_8), header("trace", "t1"));

    assertThat(notice.batchId(), nullValue());
    assertThat(notice.topic(), is(run.topics().input()));
    assertThat(notice.failure(), is("Bad Message - No header or batchId node"));
  }

  @Test
  void misuseFailsAtOnce() {
    ValidatorTestRun.Batch batch = run.batch("misuse").record("{}").sendCompleted();
    assertThrows(IllegalStateException.class, () -> batch.record("{}"));
    assertThrows(IllegalStateException.class, batch::sendCompleted);
    assertThrows(IllegalStateException.class, () -> batch.invalidThreshold(1));
    assertThrows(IllegalArgumentException.class, () -> run.batch("misuse"));
    assertThrows(
        IllegalArgumentException.class, () -> run.sendWithoutBatchId(null, null, new HriHeader("batchId", null)));
    assertThrows(
        IllegalArgumentException.class, () -> ValidatorTestKit.forValidator(objectsOnly()).withArgs("--input=x"));
  }
}

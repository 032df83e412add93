package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static final BatchNotification VERDICT =
      new BatchNotification(
          "b-7", "claims", "int-1", "ingest.t1.claims.in", "claims", BatchStatus.SEND_COMPLETED,
          OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC), null, null, 10L, null, 2L, null,
          Json.mapper().createObjectNode().put("source", "the integrator's, kept out of dead letters"), null)
          .withVerdict(BatchStatus.FAILED, 10, 3, "Batch has too many invalid records",
              OffsetDateTime.of(2024, 3, 1, 13, 0, 0, 0, ZoneOffset.UTC));

  @Test
  void aMalformedNotificationIsWrittenByPositionAndReasonOnly() {
    DeadLetter letter =
        DeadLetter.malformedNotification("ingest.t1.claims.notification-0@17", "recordCount: not a whole number");

    assertThat(new String(letter.toJson(), UTF_8),
        is("{\"kind\":\"malformed-notification\",\"subject\":\"ingest.t1.claims.notification-0@17\","
            + "\"reason\":\"recordCount: not a whole number\"}"));
    assertThat(letter.describe(),
        is("malformed-notification ingest.t1.claims.notification-0@17: recordCount: not a whole number"));
  }

  @Test
  void aVerdictComesAlongWithWhatItTakesToApplyItByHand() throws Exception {
    DeadLetter letter = DeadLetter.verdict(DeadLetter.Kind.VERDICT_REJECTED, VERDICT,
        "The HRI Management API rejected the verdict: HTTP 404 (Not found)");

    assertThat(letter.subject(), is("b-7"));
    assertThat(new String(letter.toJson(), UTF_8),
        is("{\"kind\":\"verdict-rejected\",\"subject\":\"b-7\",\"reason\":\"The HRI Management API rejected the"
            + " verdict: HTTP 404 (Not found)\",\"verdict\":{\"status\":\"failed\",\"actualRecordCount\":10,"
            + "\"invalidRecordCount\":3,\"failureMessage\":\"Batch has too many invalid records\"}}"));
    assertThat(letter.describe(),
        is("verdict-rejected b-7: The HRI Management API rejected the verdict: HTTP 404 (Not found); verdict failed,"
            + " actualRecordCount 10, invalidRecordCount 3, failureMessage \"Batch has too many invalid records\""));
    assertThat(DeadLetter.fromJson(letter.toJson()), is(letter));
    assertThat(CoderUtils.clone(DeadLetterCoder.of(), letter), is(letter));
  }

  @Test
  void aLongReasonIsCutLikeAnInvalidRecordsFailure() {
    DeadLetter letter = DeadLetter.verdict(DeadLetter.Kind.VERDICT_GIVEN_UP, VERDICT, "x".repeat(5_000));

    assertThat(letter.reason().getBytes(UTF_8).length, is(InvalidRecord.MAX_FAILURE_BYTES));
    assertThat(letter.reason(), endsWith("..."));
  }
}

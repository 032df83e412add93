package org.hri.validators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import org.hri.pipeline.model.BatchStatus;
import org.hri.testing.StderrCapture;
import org.hri.testkit.ValidatorTestKit;
import org.hri.testkit.ValidatorTestRun;
import org.junit.jupiter.api.Test;

/**
 * The fhir validator at profile level, run through the real job: every payload carries a marker, valid and
 * invalid in many ways, and the marker appears in no line the JVM logs (the job's, Beam's, Kafka's and HAPI
 * FHIR's loggers all write to standard error here) and in no invalid-record notice.
 */
class FhirPayloadStaysOutOfLogsTest {
  private static final String MARKER = "PAYLOAD-MARKER-f41c";

  private static final String VALID_PATIENT =
      "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
          + "\"id\":\"p1\",\"name\":[{\"family\":\"" + MARKER + "\"}],\"gender\":\"female\"}}]}";

  @Test
  void noPayloadTextReachesTheLogsOrTheNotices() {
    ValidatorTestRun.Outcome outcome;
    String log;
    try (StderrCapture capture = StderrCapture.start();
        ValidatorTestRun run =
        ValidatorTestKit.forValidatorNamed("fhir")
            .withArgs("--fhirValidationLevel=profile")
            .withDeadline(Duration.ofMinutes(4)) // the profile validator loads the FHIR definitions first
            .start()) {
      outcome =
          run.batch("marked")
              .record(VALID_PATIENT)
              .record("{\"resourceType\":\"Bundle\",\"type\":\"" + MARKER + "\"}") // an unknown code
              .record("{\"resourceType\":\"" + MARKER + "\"}") // an unknown resource type
              .record("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"" + MARKER + "\":1}") // unknown element
              .record("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                  + "{\"resourceType\":\"Patient\",\"birthDate\":\"" + MARKER + "\"}}]}") // a bad date
              .record("{\"resourceType\":\"Bundle\", " + MARKER) // not JSON
              .sendCompleted()
              .awaitVerdict();
      log = capture.text();
    }

    assertThat(outcome.status(), is(BatchStatus.COMPLETED));
    assertThat(outcome.validValues().size() + outcome.failures().size(), is(6));
    assertThat(outcome.failures().size(), greaterThanOrEqualTo(5));
    for (String failure : outcome.failures()) {
      assertThat("an invalid-record notice", failure, not(containsString(MARKER)));
    }
    assertThat(log.isEmpty(), is(false));
    assertThat("the job's log output", log, not(containsString(MARKER)));
  }
}

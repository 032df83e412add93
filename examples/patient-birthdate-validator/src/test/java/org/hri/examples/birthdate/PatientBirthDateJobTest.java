package org.hri.examples.birthdate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hri.examples.birthdate.SyntheaSample.OTHER_PATIENT_LINE;
import static org.hri.examples.birthdate.SyntheaSample.PATIENT_ID;
import static org.hri.examples.birthdate.SyntheaSample.PATIENT_LINE;
import static org.hri.examples.birthdate.SyntheaSample.bundle;
import static org.hri.examples.birthdate.SyntheaSample.json;
import static org.hri.examples.birthdate.SyntheaSample.moveToEnd;
import static org.hri.examples.birthdate.SyntheaSample.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.hri.pipeline.model.BatchStatus;
import org.hri.testkit.ValidatorTestKit;
import org.hri.testkit.ValidatorTestRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The validator in the real job, selected by name as {@code --validator=patient-birthdate
 * --birthDateNotInFuture=true} would select it: batches in, verdicts and routed records out.
 */
class PatientBirthDateJobTest {
  private static ValidatorTestRun run;

  @BeforeAll
  static void startJob() {
    run = ValidatorTestKit.forValidatorNamed("patient-birthdate").withArgs("--birthDateNotInFuture=true").start();
  }

  @AfterAll
  static void stopJob() {
    run.close();
  }

  @Test
  void theSyntheaSampleCompletesWithEveryRecordValid() {
    List<String> sample = SyntheaSample.lines();
    ValidatorTestRun.Outcome outcome = run.batch("synthea").records(sample).sendCompleted().awaitVerdict();

    assertThat(outcome.status(), is(BatchStatus.COMPLETED));
    assertThat(outcome.verdict().actualRecordCount(), is(200L));
    assertThat(outcome.verdict().invalidRecordCount(), is(0L));
    assertThat(outcome.invalidRecords(), is(empty()));
    assertThat(outcome.validValues(), containsInAnyOrder(sample.toArray()));
  }

  @Test
  void mutatedCopiesAreInvalidAtTheirLocationsAndTheRestPasses() {
    ObjectNode noBirthDate = bundle(OTHER_PATIENT_LINE);
    resource(noBirthDate, moveToEnd(noBirthDate, 0)).remove("birthDate");
    ObjectNode future = bundle(PATIENT_LINE);
    resource(future, 0).put("birthDate", "2999-01-01");
    ObjectNode notABundle = resource(bundle(PATIENT_LINE), 0);

    ValidatorTestRun.Outcome outcome =
        run.batch("mutated")
            .record(SyntheaSample.lines().get(PATIENT_LINE))
            .record(json(noBirthDate))
            .record(json(future))
            .record(json(notABundle))
            .record("{\"resourceType\":\"Bundle\",")
            .record(SyntheaSample.lines().get(OTHER_PATIENT_LINE))
            .sendCompleted()
            .awaitVerdict();

    assertThat(outcome.status(), is(BatchStatus.COMPLETED));
    assertThat(outcome.validRecords(), hasSize(2));
    assertThat(
        outcome.failuresByRecord(),
        is(Map.of(
            1, "Missing birthDate [Bundle.entry[4].resource]",
            2, "birthDate in the future [Bundle.entry[0].resource.birthDate]",
            3, "Not a FHIR Bundle [resourceType]",
            4, "Invalid JSON at line 1, column 26")));
    assertThat(outcome.failures(), everyItem(not(containsString(PATIENT_ID))));
    assertThat(outcome.failures(), everyItem(not(containsString("2999"))));
  }
}

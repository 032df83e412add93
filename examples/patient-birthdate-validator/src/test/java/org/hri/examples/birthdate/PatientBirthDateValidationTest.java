package org.hri.examples.birthdate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hri.examples.birthdate.SyntheaSample.OTHER_PATIENT_LINE;
import static org.hri.examples.birthdate.SyntheaSample.PATIENT_ID;
import static org.hri.examples.birthdate.SyntheaSample.PATIENT_LINE;
import static org.hri.examples.birthdate.SyntheaSample.bundle;
import static org.hri.examples.birthdate.SyntheaSample.json;
import static org.hri.examples.birthdate.SyntheaSample.moveToEnd;
import static org.hri.examples.birthdate.SyntheaSample.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.LocalValidator;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The content rules, on the validator's hooks directly (this test is in the validator's package). */
class PatientBirthDateValidationTest {
  private static PatientBirthDateValidation lenient;
  private static PatientBirthDateValidation notInFuture;

  @BeforeAll
  static void setUp() {
    lenient = new PatientBirthDateValidation(false);
    lenient.setup();
    notInFuture = new PatientBirthDateValidation(true);
    notInFuture.setup();
  }

  @Test
  void everyRecordOfTheSyntheaSampleIsValidAndTwoHoldAPatient() throws Exception {
    List<String> lines = SyntheaSample.lines();
    assertThat(lines.size(), is(200));
    List<String> failures = new ArrayList<>();
    int withPatient = 0;
    for (int i = 0; i < lines.size(); i++) {
      ValidationResult result = notInFuture.validate(record(lines.get(i)));
      if (!result.isValid()) {
        failures.add("line " + (i + 1) + ": " + result.failure());
      }
      withPatient += lines.get(i).contains("\"resourceType\":\"Patient\"") ? 1 : 0;
    }
    assertThat(failures, is(empty()));
    // Synthea splits each patient's record into small Bundles: only the first of each has the Patient.
    assertThat(withPatient, is(2));
  }

  @Test
  void aPatientWithoutBirthDateIsInvalidAtItsEntry() throws Exception {
    ObjectNode bundle = bundle(PATIENT_LINE);
    resource(bundle, 0).remove("birthDate");
    assertThat(failure(lenient, bundle), is("Missing birthDate [Bundle.entry[0].resource]"));

    ObjectNode moved = bundle(OTHER_PATIENT_LINE);
    int at = moveToEnd(moved, 0);
    resource(moved, at).putNull("birthDate");
    assertThat(failure(lenient, moved), is("Missing birthDate [Bundle.entry[4].resource]"));
  }

  @Test
  void aMalformedBirthDateIsInvalidWithoutEchoingIt() throws Exception {
    for (String bad : List.of("1956-02-30", "19560501", "1956-5-1", "", "0000", "1956-05-01T10:00:00Z", "zebra-4471")) {
      ObjectNode bundle = bundle(PATIENT_LINE);
      resource(bundle, 0).put("birthDate", bad);
      String failure = failure(lenient, bundle);
      assertThat(bad, failure, is("Invalid birthDate [Bundle.entry[0].resource.birthDate]"));
      assertThat(failure, not(containsString(PATIENT_ID)));
    }
    ObjectNode number = bundle(PATIENT_LINE);
    resource(number, 0).put("birthDate", 1956);
    assertThat(failure(lenient, number), is("Invalid birthDate [Bundle.entry[0].resource.birthDate]"));
  }

  @Test
  void partialDatesAreValid() throws Exception {
    for (String date : List.of("1956", "1956-05", "2000-02-29")) {
      ObjectNode bundle = bundle(PATIENT_LINE);
      resource(bundle, 0).put("birthDate", date);
      assertThat(date, notInFuture.validate(record(json(bundle))), is(ValidationResult.valid()));
    }
  }

  @Test
  void aFutureBirthDateIsInvalidOnlyWithBirthDateNotInFuture() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    ObjectNode future = bundle(PATIENT_LINE);
    resource(future, 0).put("birthDate", today.plusDays(2).toString());
    assertThat(lenient.validate(record(json(future))), is(ValidationResult.valid()));
    assertThat(failure(notInFuture, future), is("birthDate in the future [Bundle.entry[0].resource.birthDate]"));

    ObjectNode nextYear = bundle(PATIENT_LINE);
    resource(nextYear, 0).put("birthDate", String.valueOf(today.getYear() + 1));
    assertThat(failure(notInFuture, nextYear), is("birthDate in the future [Bundle.entry[0].resource.birthDate]"));

    ObjectNode bornToday = bundle(PATIENT_LINE);
    resource(bornToday, 0).put("birthDate", today.toString());
    assertThat(notInFuture.validate(record(json(bornToday))), is(ValidationResult.valid()));
  }

  @Test
  void everyBadPatientIsListedUpToTen() throws Exception {
    ObjectNode bundle = bundle(PATIENT_LINE);
    ArrayNode entries = (ArrayNode) bundle.get("entry");
    ObjectNode patient = resource(bundle, 0).deepCopy();
    patient.remove("birthDate");
    for (int i = 0; i < 11; i++) {
      entries.addObject().set("resource", patient.deepCopy());
    }
    resource(bundle, 0).remove("birthDate");
    StringBuilder expected = new StringBuilder("Missing birthDate [Bundle.entry[0].resource]");
    for (int i = 5; i < 14; i++) {
      expected.append("; Missing birthDate [Bundle.entry[").append(i).append("].resource]");
    }
    assertThat(failure(lenient, bundle), is(expected + "; and 2 more"));
  }

  @Test
  void whatIsNotABundleIsInvalid() throws Exception {
    assertThat(
        failure(lenient, "{\"resourceType\":\"Patient\",\"birthDate\":\"2000\"}"),
        is("Not a FHIR Bundle [resourceType]"));
    assertThat(failure(lenient, "[1,2]"), is("Not a FHIR Bundle: not a JSON object"));
    assertThat(failure(lenient, "{\"resourceType\":\"Bundle\",\"entry\":{}}"), is("Not an array [Bundle.entry]"));
    assertThat(
        lenient.validate(record("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}")),
        is(ValidationResult.valid()));
    HriRecord noValue = new HriRecord(List.of(), null, null, "ingest.t.d.in", 0, 0);
    assertThat(lenient.validate(noValue).failure(), is("Not a FHIR Bundle: the record has no value"));
    assertThat(failure(lenient, ""), is("Invalid JSON: the record is empty"));
  }

  @Test
  void brokenJsonIsInvalidAtItsPositionWithoutEchoingIt() throws Exception {
    String failure = failure(lenient, "{\"resourceType\":\"Bundle\",\"id\":banana-4471}");
    assertThat(failure, is("Invalid JSON at line 1, column 38"));
    assertThat(failure(lenient, "{\"resourceType\":\"Bundle\"} {}"), is("Invalid JSON at line 1, column 27"));
    // A second birthDate must not hide the first.
    String twice = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
        + "\"birthDate\":\"2000\",\"birthDate\":\"2001\"}}]}";
    assertThat(failure(lenient, twice), is("Invalid JSON at line 1, column 103"));
  }

  @Test
  @SuppressWarnings("try") // LocalValidator.close() is declared to throw Exception
  void theProviderIsFoundByNameAndReadsItsOption() throws Exception {
    ValidateRecords byName =
        Validators.byName("patient-birthdate", PipelineOptionsFactory.fromArgs("--birthDateNotInFuture=true").create());
    assertThat(byName, instanceOf(PatientBirthDateValidation.class));
    ObjectNode future = bundle(PATIENT_LINE);
    resource(future, 0).put("birthDate", "2999-01-01");
    // LocalValidator gives the job's verdicts: what a test outside this package would use.
    try (LocalValidator validator = LocalValidator.open(byName)) {
      assertThat(
          validator.validate(record(json(future))).failure(),
          is("birthDate in the future [Bundle.entry[0].resource.birthDate]"));
    }
    try (LocalValidator validator =
        LocalValidator.open(Validators.byName("patient-birthdate", PipelineOptionsFactory.create()))) {
      assertThat(validator.validate(record(json(future))).isValid(), is(true));
    }
  }

  private static String failure(PatientBirthDateValidation validation, ObjectNode bundle) throws Exception {
    return failure(validation, json(bundle));
  }

  private static String failure(PatientBirthDateValidation validation, String json) throws Exception {
    ValidationResult result = validation.validate(record(json));
    assertThat("valid: expected a failure", result.isValid(), is(false));
    return result.failure();
  }

  static HriRecord record(String json) {
    return new HriRecord(List.of(), null, json.getBytes(StandardCharsets.UTF_8), "ingest.t.d.in", 0, 0);
  }
}

package org.hri.validators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FhirValidationTest {
  static final Path SAMPLE = Path.of("..", "data", "synthea-sample-200.ndjson");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> sample;
  private static FhirValidation fhir;

  @BeforeAll
  static void setUp() throws IOException {
    sample = Files.readAllLines(SAMPLE, StandardCharsets.UTF_8);
    fhir = new FhirValidation();
    fhir.setup();
  }

  @Test
  void everyRecordOfTheSyntheaSampleIsValid() throws Exception {
    assertThat(sample.size(), is(200));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      ValidationResult result = fhir.validate(record(sample.get(i)));
      if (!result.isValid()) {
        failures.add("line " + (i + 1) + ": " + result.failure());
      }
    }
    assertThat(failures, is(empty()));
  }

  @Test
  void aBundleWithoutResourceTypeIsInvalid() throws Exception {
    ObjectNode bundle = bundle();
    bundle.remove("resourceType");
    assertThat(failure(bundle), is("Missing required element: 'resourceType'"));
    assertThat(failure("{\"monkey\":\"banana-4471\"}"), is("Missing required element: 'resourceType'"));
  }

  @Test
  void aMisspelledRootTypeIsInvalidWithoutEchoingIt() throws Exception {
    ObjectNode bundle = bundle();
    bundle.put("resourceType", "Bundul");
    String failure = failure(bundle);
    assertThat(failure, is("Invalid resource type [resourceType]"));
    assertThat(failure, not(containsString("Bundul")));
  }

  @Test
  void anEntryOfAnUnknownTypeIsInvalidAtItsLocation() throws Exception {
    ObjectNode bundle = bundle();
    entryResource(bundle, 0).put("resourceType", "Bad Type");
    assertThat(failure(bundle), is("Invalid resource type [Bundle.entry[0].resource.resourceType]"));
    ObjectNode noType = bundle();
    entryResource(noType, 1).remove("resourceType");
    assertThat(failure(noType), is("Missing required element: 'resourceType' [Bundle.entry[1].resource]"));
  }

  @Test
  void aBadGenderCodeIsInvalidAtItsLocation() throws Exception {
    ObjectNode bundle = bundle();
    int patient = entryOf(bundle, "Patient");
    entryResource(bundle, patient).put("gender", "dog-secret-8812");
    String failure = failure(bundle);
    assertThat(failure, is("Invalid code for a required binding [Bundle.entry[" + patient + "].resource.gender]"));
    assertThat(failure, not(containsString("dog")));
  }

  @Test
  void anUnknownElementIsInvalidAtItsLocation() throws Exception {
    ObjectNode bundle = bundle();
    int patient = entryOf(bundle, "Patient");
    entryResource(bundle, patient).put("favouriteColour", "teal-secret-1234");
    String failure = failure(bundle);
    assertThat(failure, is("Unknown element [Bundle.entry[" + patient + "].resource.favouriteColour]"));
    assertThat(failure, not(containsString("teal")));
  }

  @Test
  void anUnknownElementWhoseNameLooksLikeContentIsNotEchoed() throws Exception {
    ObjectNode bundle = bundle();
    entryResource(bundle, 0).put("John Smith, 12 Main St", 1);
    assertThat(failure(bundle), is("Unknown element [Bundle.entry[0].resource.<unnamed element>]"));
  }

  @Test
  void aStringWhereANumberBelongsIsInvalidAtItsLocation() throws Exception {
    ObjectNode bundle = bundleWith("Observation", "valueQuantity");
    int observation = entryWith(bundle, "Observation", "valueQuantity");
    ((ObjectNode) entryResource(bundle, observation).get("valueQuantity")).put("value", "ninety-secret-77");
    String failure = failure(bundle);
    assertThat(failure, is("Wrong JSON type: expected a number, found a string [Bundle.entry[" + observation
        + "].resource.valueQuantity.value]"));
    assertThat(failure, not(containsString("ninety")));
  }

  @Test
  void missingRequiredElementsAreInvalidAtTheirLocation() throws Exception {
    ObjectNode bundle = bundle();
    bundle.remove("type");
    assertThat(failure(bundle), is("Missing required element [Bundle.type]"));

    ObjectNode withObservation = bundleWith("Observation", "status");
    int observation = entryOf(withObservation, "Observation");
    entryResource(withObservation, observation).remove("status");
    assertThat(failure(withObservation), is("Missing required element [Bundle.entry[" + observation + "].resource.status]"));

    ObjectNode withClaim = bundleWith("Claim", "patient");
    int claim = entryOf(withClaim, "Claim");
    entryResource(withClaim, claim).remove("patient");
    assertThat(failure(withClaim), is("Missing required element [Bundle.entry[" + claim + "].resource.patient]"));
  }

  @Test
  void cardinalityAndPrimitiveFormsAreChecked() throws Exception {
    ObjectNode bundle = bundle();
    int patient = entryOf(bundle, "Patient");
    ObjectNode resource = entryResource(bundle, patient);
    resource.putArray("gender").add("male");
    resource.put("birthDate", "1970-13-45");
    resource.put("active", "yes");
    resource.put("deceasedBoolean", false);
    resource.put("deceasedDateTime", "2020-01-01");
    String at = "Bundle.entry[" + patient + "].resource.";
    String failure = failure(bundle);
    assertThat(failure, containsString("Element does not repeat but is an array [" + at + "gender]"));
    assertThat(failure, containsString("Invalid value for type 'date' [" + at + "birthDate]"));
    assertThat(failure, containsString("Wrong JSON type: expected a boolean, found a string [" + at + "active]"));
    assertThat(failure, containsString("More than one choice of deceased[x] ["));
    assertThat(failure, not(containsString("1970")));
  }

  @Test
  void aResourceOtherThanABundleNeedsTheOption() throws Exception {
    ObjectNode bundle = bundle();
    String patient = entryResource(bundle, entryOf(bundle, "Patient")).toString();
    assertThat(failure(patient), is("Invalid resource type: the root must be a Bundle, not a Patient [resourceType]"));

    FhirValidation any = (FhirValidation) Validators.byName(
        "fhir", PipelineOptionsFactory.fromArgs("--fhirAllowAnyResource=true").create());
    any.setup();
    assertThat(any.validate(record(patient)), is(ValidationResult.valid()));
    assertThat(any.validate(record(bundle.toString())), is(ValidationResult.valid()));
  }

  @Test
  void failuresAreCappedAtTheMaximumNumberOfProblems() throws Exception {
    ObjectNode bundle = bundle();
    for (int i = 0; i < 5; i++) {
      bundle.put("unknown" + i, i);
    }
    FhirValidation capped = (FhirValidation) Validators.byName(
        "fhir", PipelineOptionsFactory.fromArgs("--fhirMaxProblems=2").create());
    capped.setup();
    assertThat(capped.validate(record(bundle.toString())).failure(),
        is("Unknown element [Bundle.unknown0]; Unknown element [Bundle.unknown1]; and more"));
  }

  @Test
  void invalidJsonIsInvalidWithoutQuotingIt() throws Exception {
    assertThat(failure("{\"resourceType\": Bundle-secret}"), startsWith("Invalid JSON: syntax error at line 1, column "));
    assertThat(failure("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"type\":\"batch\"}"),
        startsWith("Invalid JSON: duplicate property at line 1"));
    assertThat(failure("{\"resourceType\":\"Bundle\",\"type\":\"collection\"} {}"),
        startsWith("Invalid JSON: more than one JSON value"));
    assertThat(failure("[1,2]"), is("Invalid FHIR: the record is not a JSON object"));
    assertThat(failure(""), is("Invalid JSON: the record is empty"));
    assertThat(fhir.validate(record(null)).failure(), is("Invalid FHIR: the record has no value"));
  }

  @Test
  void theValidatorIsFoundByName() {
    assertThat(Validators.byName("fhir", PipelineOptionsFactory.create()), instanceOf(FhirValidation.class));
  }

  private static ObjectNode bundle() throws IOException {
    return (ObjectNode) JSON.readTree(sample.get(0));
  }

  /** The first sample record with a {@code type} resource that has {@code element}. */
  private static ObjectNode bundleWith(String type, String element) throws IOException {
    for (String line : sample) {
      ObjectNode bundle = (ObjectNode) JSON.readTree(line);
      for (JsonNode entry : bundle.get("entry")) {
        if (type.equals(entry.get("resource").path("resourceType").asText()) && entry.get("resource").has(element)) {
          return bundle;
        }
      }
    }
    throw new AssertionError("no sample record has a " + type + " with " + element);
  }

  private static ObjectNode entryResource(ObjectNode bundle, int index) {
    return (ObjectNode) bundle.get("entry").get(index).get("resource");
  }

  private static int entryOf(ObjectNode bundle, String type) {
    return entryWith(bundle, type, "resourceType");
  }

  private static int entryWith(ObjectNode bundle, String type, String element) {
    ArrayNode entries = (ArrayNode) bundle.get("entry");
    for (int i = 0; i < entries.size(); i++) {
      JsonNode resource = entries.get(i).get("resource");
      if (type.equals(resource.path("resourceType").asText()) && resource.has(element)) {
        return i;
      }
    }
    throw new AssertionError("the record has no " + type + " with " + element);
  }

  private static String failure(JsonNode json) throws Exception {
    return failure(json.toString());
  }

  private static String failure(String json) throws Exception {
    ValidationResult result = fhir.validate(record(json));
    assertThat(result.isValid(), is(false));
    return result.failure();
  }

  static HriRecord record(String value) {
    return new HriRecord(
        List.of(), null, value == null ? null : value.getBytes(StandardCharsets.UTF_8), "ingest.t.d.in", 0, 0);
  }
}

package org.hri.validators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hri.validators.FhirValidationTest.record;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --fhirValidationLevel=profile}. The instance validators take seconds to build, so the tests share two for
 * the whole JVM: one with the base profiles only, one with the test profile {@code patient-with-birth-date.json}.
 */
class FhirProfileValidationTest {
  static final Path PATIENT_PROFILE = Path.of("src", "test", "resources", "fhir-profiles", "patient-with-birth-date.json");
  static final String PATIENT_PROFILE_URL = "http://example.org/fhir/StructureDefinition/patient-with-birth-date";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> sample;
  private static FhirValidation profile;
  private static FhirValidation withPatientProfile;

  @BeforeAll
  static void setUp() throws IOException {
    sample = Files.readAllLines(FhirValidationTest.SAMPLE, StandardCharsets.UTF_8);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    profile = (FhirValidation) Validators.byName(
        "fhir", PipelineOptionsFactory.fromArgs("--fhirValidationLevel=profile").create());
    profile.setup();
    System.out.printf("profile level: first validator built (base R4 profiles, warmed up) in %d ms (%d ms CPU)%n",
        (System.nanoTime() - wall) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000);
    wall = System.nanoTime();
    withPatientProfile = (FhirValidation) Validators.byName("fhir", PipelineOptionsFactory.fromArgs(
        "--fhirValidationLevel=profile", "--fhirProfiles=" + PATIENT_PROFILE).create());
    withPatientProfile.setup();
    System.out.printf("profile level: validator with --fhirProfiles built in %d ms%n", (System.nanoTime() - wall) / 1_000_000);
  }

  /**
   * Synthea wrote each patient's history as one transaction Bundle, and its references to practitioners,
   * organizations and locations are conditional ({@code Practitioner?identifier=...}), which only a transaction
   * resolves. The sample's records are collection Bundles split from them, so those references are invalid (R4
   * 3.1.0.4.3 / Reference.reference: a literal reference is a relative {@code Type/id}, an absolute URL or a
   * {@code urn:}). This is a real non-conformance of the data, not noise of the validator, so it is an error:
   * 145 of the 200 records have it, and it is the only error, once per conditional reference (1,081). Everything
   * else Synthea does — SNOMED CT, LOINC, RxNorm and other code systems we cannot check without a terminology
   * server, US Core profiles in {@code meta.profile} we have not loaded, US Core extensions — is a warning or
   * information and does not fail a record.
   */
  @Test
  void theSyntheaSampleIsValidButForItsConditionalReferences() throws Exception {
    assertThat(sample.size(), is(200));
    FhirValidation uncapped = (FhirValidation) Validators.byName("fhir", PipelineOptionsFactory.fromArgs(
        "--fhirValidationLevel=profile", "--fhirMaxProblems=100000").create());
    uncapped.setup();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    int invalid = 0;
    int problems = 0;
    List<String> otherProblems = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      ValidationResult result = uncapped.validate(record(sample.get(i)));
      if (!result.isValid()) {
        invalid++;
        for (String problem : result.failure().split("; ")) {
          problems++;
          if (!problem.startsWith("Reference_REF_Format2 [Bundle.entry[")) {
            otherProblems.add("line " + (i + 1) + ": " + problem);
          }
        }
      }
    }
    System.out.printf("profile level: %d sample records validated in %d ms (%d ms CPU)%n", sample.size(),
        (System.nanoTime() - wall) / 1_000_000, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000);
    assertThat(otherProblems, is(empty()));
    assertThat(invalid, is(145));
    assertThat(problems, is(1081));
    int conditionalReferences = 0;
    for (String line : sample) {
      conditionalReferences += conditionalReferences(JSON.readTree(line));
    }
    assertThat(conditionalReferences, is(problems));
  }

  @Test
  void theStructuralLevelDoesNotCheckTheValueSetsOfCodeableConcepts() throws Exception {
    ObjectNode bundle = validBundleWith("Condition");
    int condition = entryOf(bundle, "Condition");
    clinicalStatusCoding(bundle, condition).put("code", "bogus-secret-5531");
    FhirValidation structural = new FhirValidation();
    structural.setup();
    assertThat(structural.validate(record(bundle.toString())), is(ValidationResult.valid()));
  }

  @Test
  void aRecordWithoutConditionalReferencesIsValid() throws Exception {
    assertThat(profile.validate(record(validBundleWith("Condition").toString())), is(ValidationResult.valid()));
    assertThat(profile.validate(record(patientBundle().toString())), is(ValidationResult.valid()));
  }

  @Test
  void aBadGenderCodeFailsTheStructuralChecksFirstWithTheirMessage() throws Exception {
    ObjectNode bundle = patientBundle();
    entryResource(bundle, 0).put("gender", "dog-secret-8812");
    String failure = failure(profile, bundle);
    assertThat(failure, is("Invalid code for a required binding [Bundle.entry[0].resource.gender]"));
    assertThat(failure, not(containsString("dog")));
  }

  @Test
  void aCodeableConceptOutsideItsRequiredValueSetIsInvalid() throws Exception {
    ObjectNode bundle = validBundleWith("Condition");
    int condition = entryOf(bundle, "Condition");
    // Condition.clinicalStatus: CodeableConcept, required binding to condition-clinical (expanded locally)
    clinicalStatusCoding(bundle, condition).put("code", "bogus-secret-5531");
    String at = "Bundle.entry[" + condition + "].resource";
    String failure = failure(profile, bundle);
    assertThat(failure, is("Terminology_PassThrough_TX_Message [" + at + ".clinicalStatus]; "
        + "Terminology_TX_NoValid_1_CC [" + at + ".clinicalStatus]; "
        + "Constraint failed: con-4 [" + at + "]"));
    assertThat(failure, not(containsString("bogus")));
    assertThat(failure, not(containsString(entryResource(bundle, condition).get("id").asText())));
  }

  @Test
  void aCodeFromAnotherSystemIsInvalidForARequiredBinding() throws Exception {
    ObjectNode bundle = validBundleWith("Condition");
    int condition = entryOf(bundle, "Condition");
    clinicalStatusCoding(bundle, condition).put("system", "http://snomed.info/sct").put("code", "55561003");
    String failure = failure(profile, bundle);
    assertThat(failure, containsString("Terminology_TX_NoValid_1_CC [Bundle.entry[" + condition + "].resource.clinicalStatus]"));
    assertThat(failure, not(containsString("55561003")));
  }

  @Test
  void anElementFailingAGivenProfileIsInvalid() throws Exception {
    ObjectNode bundle = patientBundle();
    ObjectNode patient = entryResource(bundle, 0);
    patient.remove("birthDate");
    ((ObjectNode) patient.get("name").get(0)).withArray("given").insert(0, "Zebediah-secret-9917");
    // not claiming the profile: nothing requires a birth date
    assertThat(withPatientProfile.validate(record(bundle.toString())), is(ValidationResult.valid()));

    ((ObjectNode) patient.get("meta")).putArray("profile").add(PATIENT_PROFILE_URL);
    String failure = failure(withPatientProfile, bundle);
    assertThat(failure, is("Validation_VAL_Profile_Minimum [Bundle.entry[0].resource]"));
    assertThat(failure, not(containsString("Zebediah")));
    assertThat(failure, not(containsString(patient.get("id").asText())));

    patient.put("birthDate", "1970-01-01");
    assertThat(withPatientProfile.validate(record(bundle.toString())), is(ValidationResult.valid()));
  }

  @Test
  void aProfileThatIsNotLoadedIsNotAnError() throws Exception {
    ObjectNode bundle = patientBundle();
    ObjectNode patient = entryResource(bundle, 0);
    patient.remove("birthDate");
    ((ObjectNode) patient.get("meta")).putArray("profile").add(PATIENT_PROFILE_URL);
    assertThat(profile.validate(record(bundle.toString())), is(ValidationResult.valid()));
  }

  @Test
  void failuresAreCappedAtTheMaximumNumberOfProblems() throws Exception {
    FhirValidation capped = (FhirValidation) Validators.byName("fhir", PipelineOptionsFactory.fromArgs(
        "--fhirValidationLevel=profile", "--fhirMaxProblems=2").create());
    capped.setup();
    String failure = capped.validate(record(sample.get(1))).failure();
    assertThat(failure, is("Reference_REF_Format2 [Bundle.entry[0].resource.author[0]]; "
        + "Reference_REF_Format2 [Bundle.entry[0].resource.custodian]; and more"));
  }

  @Test
  void workerThreadsShareOneValidator() throws Exception {
    List<String> records = sample.subList(0, 12);
    List<ValidationResult> sequential = new ArrayList<>();
    for (String line : records) {
      sequential.add(profile.validate(record(line)));
    }
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<ValidationResult>>> results = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        results.add(workers.submit(() -> {
          FhirValidation copy = new FhirValidation(false, 10, FhirValidationLevel.PROFILE, List.of());
          copy.setup();
          List<ValidationResult> own = new ArrayList<>();
          for (String line : records) {
            own.add(copy.validate(record(line)));
          }
          return own;
        }));
      }
      for (Future<List<ValidationResult>> result : results) {
        assertThat(result.get(2, TimeUnit.MINUTES), is(sequential));
      }
    } finally {
      workers.shutdownNow();
    }
  }

  @Test
  void aSerializedCopyValidatesLikeTheOriginal() throws Exception {
    FhirValidation copy = SerializableUtils.clone(withPatientProfile); // as the runner ships it to its workers
    ObjectNode bundle = patientBundle();
    ObjectNode patient = entryResource(bundle, 0);
    patient.remove("birthDate");
    ((ObjectNode) patient.get("meta")).putArray("profile").add(PATIENT_PROFILE_URL);
    copy.setup();
    assertThat(failure(copy, bundle), is("Validation_VAL_Profile_Minimum [Bundle.entry[0].resource]"));
  }

  @Test
  void theOptionsAreRead() {
    assertThat(Validators.byName("fhir", PipelineOptionsFactory.fromArgs("--fhirValidationLevel=Profile").create()),
        instanceOf(FhirValidation.class));
    assertThat(Validators.byName("fhir", PipelineOptionsFactory.fromArgs("--fhirValidationLevel=structural").create()),
        instanceOf(FhirValidation.class));
  }

  @Test
  void badOptionsStopTheJobAtStartWithOneLineNamingTheOption(@TempDir Path dir) throws Exception {
    assertThat(createError("--fhirValidationLevel=full"), is("--fhirValidationLevel: must be structural or profile"));
    assertThat(createError("--fhirProfiles=" + PATIENT_PROFILE),
        is("--fhirProfiles: needs --fhirValidationLevel=profile"));
    Path missing = dir.resolve("missing-profile.json");
    assertThat(createError("--fhirValidationLevel=profile", "--fhirProfiles=" + PATIENT_PROFILE + "," + missing),
        is("--fhirProfiles: cannot read " + missing));
    Path patient = Files.writeString(dir.resolve("patient.json"), entryResource(patientBundle(), 0).toString());
    assertThat(createError("--fhirValidationLevel=profile", "--fhirProfiles=" + patient),
        is("--fhirProfiles: " + patient + " is a Patient, not a StructureDefinition, ValueSet or CodeSystem"));
    Path notJson = Files.writeString(dir.resolve("profile.json"), "{\"resourceType\": \"StructureDefinition\",");
    assertThat(createError("--fhirValidationLevel=profile", "--fhirProfiles=" + notJson),
        is("--fhirProfiles: " + notJson + " is not a FHIR R4 resource in JSON"));
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(createError("--fhirValidationLevel=profile", "--fhirProfiles=" + empty),
        is("--fhirProfiles: no *.json file in the directory " + empty));
  }

  private static String createError(String... args) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Validators.byName("fhir", PipelineOptionsFactory.fromArgs(args).create()));
    return error.getMessage();
  }

  /** The first sample record with a {@code type} resource that is valid at the profile level. */
  private static ObjectNode validBundleWith(String type) throws Exception {
    for (String line : sample) {
      ObjectNode bundle = (ObjectNode) JSON.readTree(line);
      if (conditionalReferences(bundle) == 0 && hasEntryOf(bundle, type)) {
        return bundle;
      }
    }
    throw new AssertionError("no sample record without conditional references has a " + type);
  }

  /** A Bundle of the sample's first Patient alone. */
  private static ObjectNode patientBundle() throws IOException {
    ObjectNode first = (ObjectNode) JSON.readTree(sample.get(0));
    ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "collection");
    bundle.putArray("entry").add(first.get("entry").get(entryOf(first, "Patient")).deepCopy());
    return bundle;
  }

  private static int conditionalReferences(JsonNode node) {
    int count = 0;
    if (node.isObject() && node.path("reference").isTextual() && node.get("reference").textValue().contains("?")) {
      count++;
    }
    for (JsonNode child : node) {
      count += conditionalReferences(child);
    }
    return count;
  }

  private static boolean hasEntryOf(ObjectNode bundle, String type) {
    for (JsonNode entry : bundle.get("entry")) {
      if (type.equals(entry.get("resource").path("resourceType").asText())) {
        return true;
      }
    }
    return false;
  }

  private static int entryOf(ObjectNode bundle, String type) {
    ArrayNode entries = (ArrayNode) bundle.get("entry");
    for (int i = 0; i < entries.size(); i++) {
      if (type.equals(entries.get(i).get("resource").path("resourceType").asText())) {
        return i;
      }
    }
    throw new AssertionError("the record has no " + type);
  }

  private static ObjectNode entryResource(ObjectNode bundle, int index) {
    return (ObjectNode) bundle.get("entry").get(index).get("resource");
  }

  private static ObjectNode clinicalStatusCoding(ObjectNode bundle, int entry) {
    return (ObjectNode) entryResource(bundle, entry).get("clinicalStatus").get("coding").get(0);
  }

  private static String failure(FhirValidation validation, JsonNode json) throws Exception {
    ValidationResult result = validation.validate(record(json.toString()));
    assertThat(result.isValid(), is(false));
    return result.failure();
  }
}

package org.hri.examples.birthdate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;

/**
 * Accepts a record that is a FHIR R4 {@code Bundle} in JSON whose {@code Patient} entries all have a valid
 * {@code birthDate} (and, with {@code notInFuture}, none after today). A Bundle without Patients is valid: this
 * validator checks one rule, not FHIR structure (the {@code fhir} validator does that).
 *
 * <p>Failures name the problem and its FHIRPath-like location, never a value from the record, e.g.
 * {@code Missing birthDate [Bundle.entry[3].resource]}; several are joined with {@code "; "}.
 */
public final class PatientBirthDateValidation extends ValidateRecords {
  /** How many problems one failure lists at most. */
  static final int MAX_PROBLEMS = 10;

  // FHIR R4 `date`: YYYY, YYYY-MM or YYYY-MM-DD, no time zone (http://hl7.org/fhir/R4/datatypes.html#date).
  private static final Pattern FHIR_DATE =
      Pattern.compile(
          "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?");

  // A date has no time zone: it is only "in the future" once it is after today even where today ends last.
  private static final ZoneOffset LATEST_ZONE = ZoneOffset.ofHours(14);

  private final boolean notInFuture; // set in the constructor: serialized with the transform to every worker
  private transient ObjectReader reader; // built on the worker in setup(), so never serialized

  public PatientBirthDateValidation(boolean notInFuture) {
    this.notInFuture = notInFuture;
  }

  @Override
  protected void setup() {
    // Duplicate properties are rejected: a second "birthDate" must not hide the first.
    reader =
        new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  @Override
  protected ValidationResult validate(HriRecord record) throws IOException {
    if (record.value() == null) {
      return ValidationResult.invalid("Not a FHIR Bundle: the record has no value");
    }
    JsonNode root;
    try {
      root = reader.readTree(record.value());
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the input: name only where the problem is.
      return ValidationResult.invalid("Invalid JSON" + at(e.getLocation()));
    }
    if (root == null || root.isMissingNode()) {
      return ValidationResult.invalid("Invalid JSON: the record is empty");
    }
    if (!root.isObject()) {
      return ValidationResult.invalid("Not a FHIR Bundle: not a JSON object");
    }
    if (!"Bundle".equals(root.path("resourceType").textValue())) {
      return ValidationResult.invalid("Not a FHIR Bundle [resourceType]");
    }
    JsonNode entries = root.get("entry");
    if (entries == null) {
      return ValidationResult.valid(); // an empty Bundle has no Patient without a birthDate
    }
    if (!entries.isArray()) {
      return ValidationResult.invalid("Not an array [Bundle.entry]");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonNode resource = entries.get(i).path("resource");
      if ("Patient".equals(resource.path("resourceType").textValue())) {
        String problem = checkPatient(resource, "Bundle.entry[" + i + "].resource");
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    return problems.isEmpty() ? ValidationResult.valid() : ValidationResult.invalid(join(problems));
  }

  /** The problem with one Patient's birthDate, or null. */
  private String checkPatient(JsonNode patient, String location) {
    JsonNode birthDate = patient.get("birthDate");
    if (birthDate == null || birthDate.isNull()) {
      return "Missing birthDate [" + location + "]";
    }
    LocalDate earliest = earliestDay(birthDate);
    if (earliest == null) {
      return "Invalid birthDate [" + location + ".birthDate]";
    }
    if (notInFuture && earliest.isAfter(LocalDate.now(LATEST_ZONE))) {
      return "birthDate in the future [" + location + ".birthDate]";
    }
    return null;
  }

  /** The first day a FHIR date can mean ({@code 1970} is 1970-01-01), or null if it is not a valid date. */
  private static LocalDate earliestDay(JsonNode date) {
    if (!date.isTextual() || !FHIR_DATE.matcher(date.textValue()).matches()) {
      return null;
    }
    String[] parts = date.textValue().split("-");
    try {
      return LocalDate.of(
          Integer.parseInt(parts[0]),
          parts.length > 1 ? Integer.parseInt(parts[1]) : 1,
          parts.length > 2 ? Integer.parseInt(parts[2]) : 1);
    } catch (DateTimeException e) {
      return null; // e.g. 2023-02-30: the pattern allows it, the calendar does not
    }
  }

  private static String at(JsonLocation location) {
    return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String join(List<String> problems) {
    if (problems.size() <= MAX_PROBLEMS) {
      return String.join("; ", problems);
    }
    return String.join("; ", problems.subList(0, MAX_PROBLEMS)) + "; and " + (problems.size() - MAX_PROBLEMS) + " more";
  }
}

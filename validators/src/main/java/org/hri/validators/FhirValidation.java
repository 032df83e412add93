package org.hri.validators;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.validators.fhir.FhirProfileChecker;
import org.hri.validators.fhir.FhirR4;
import org.hri.validators.fhir.FhirR4Profiles;
import org.hri.validators.fhir.FhirStructureChecker;

/**
 * FHIR R4 validation with HAPI FHIR, at one of two levels ({@link FhirValidationLevel}):
 *
 * <ul>
 *   <li>structural, the original job's level: the record is one JSON object, a {@code Bundle} (or any resource
 *       with {@code --fhirAllowAnyResource}), whose elements exist, repeat or not as defined, are present when
 *       required, have primitive values of the right JSON type and form, and use the codes of the required
 *       bindings the model enumerates;
 *   <li>profile: the same structural checks first (cheap, same messages); a record that passes them is then
 *       validated by HAPI's {@code FhirInstanceValidator} against the base R4 profiles, the value sets it can
 *       expand locally and the {@code --fhirProfiles} its resources claim in {@code meta.profile}. Only errors
 *       fail a record.
 * </ul>
 *
 * <p>The failure lists up to {@code --fhirMaxProblems} problems, each with a FHIRPath-like location, e.g.
 * {@code Invalid code for a required binding [Bundle.entry[0].resource.gender]} or
 * {@code Terminology_TX_NoValid_1_CC [Bundle.entry[2].resource.clinicalStatus]}. It never quotes the record's
 * values.
 *
 * <p>The HAPI FHIR context and the instance validator are built once per JVM; each worker's copy builds its
 * JSON reader and checkers in {@link #setup}.
 */
public final class FhirValidation extends ValidateRecords {
  private final boolean allowAnyResource;
  private final int maxProblems;
  private final FhirValidationLevel level;
  private final List<String> profiles;
  private transient JsonDocumentReader reader;
  private transient FhirStructureChecker structure;
  private transient FhirProfileChecker profile;

  public FhirValidation() {
    this(false, 10);
  }

  public FhirValidation(boolean allowAnyResource, int maxProblems) {
    this(allowAnyResource, maxProblems, FhirValidationLevel.STRUCTURAL, List.of());
  }

  /**
   * @param profiles locations of conformance resources ({@code --fhirProfiles}) for the {@code profile} level;
   *     every worker reads them once
   */
  public FhirValidation(boolean allowAnyResource, int maxProblems, FhirValidationLevel level, List<String> profiles) {
    if (maxProblems < 1) {
      throw new IllegalArgumentException("maxProblems must be at least 1");
    }
    if (level != FhirValidationLevel.PROFILE && !profiles.isEmpty()) {
      throw new IllegalArgumentException("profiles need the profile level");
    }
    this.allowAnyResource = allowAnyResource;
    this.maxProblems = maxProblems;
    this.level = level;
    this.profiles = List.copyOf(profiles);
  }

  @Override
  protected void setup() {
    reader = new JsonDocumentReader();
    structure = new FhirStructureChecker(FhirR4.context(), maxProblems);
    if (level == FhirValidationLevel.PROFILE) {
      profile = new FhirProfileChecker(FhirR4Profiles.validator(profiles), maxProblems);
    }
  }

  @Override
  protected ValidationResult validate(HriRecord record) throws Exception {
    JsonDocumentReader.Document document = reader.read(record, "Invalid FHIR: the record has no value");
    if (document.failure() != null) {
      return document.failure();
    }
    JsonNode root = document.json();
    List<String> problems = structure.check(root, allowAnyResource);
    if (problems.isEmpty() && profile != null) {
      try {
        problems = profile.check(new String(record.value(), StandardCharsets.UTF_8));
      } catch (RuntimeException e) { // its message may quote the record: name the exception only
        return ValidationResult.invalid("FHIR instance validation failed: " + e.getClass().getName());
      }
    }
    return problems.isEmpty() ? ValidationResult.valid() : ValidationResult.invalid(message(problems));
  }

  private static String message(List<String> problems) {
    List<String> listed = new ArrayList<>(problems.size());
    boolean more = false;
    for (String problem : problems) {
      if (problem == null) {
        more = true;
      } else {
        listed.add(problem);
      }
    }
    return String.join("; ", listed) + (more ? "; and more" : "");
  }
}

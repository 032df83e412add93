package org.hri.validators;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.validators.fhir.FhirR4;
import org.hri.validators.fhir.FhirStructureChecker;

/**
 * Structural FHIR R4 validation with HAPI FHIR's R4 model, at the level of the original job's parser: the
 * record is one JSON object, a {@code Bundle} (or any resource with {@code --fhirAllowAnyResource}), whose
 * elements exist, repeat or not as defined, are present when required, have primitive values of the right
 * JSON type and form, and use the codes of the required bindings the model enumerates.
 *
 * <p>The failure lists up to {@code --fhirMaxProblems} problems, each with a FHIRPath-like location, e.g.
 * {@code Invalid code for a required binding [Bundle.entry[0].resource.gender]}. It never quotes the record's
 * values.
 *
 * <p>The HAPI FHIR context is built once per JVM; each worker's copy builds its JSON reader and checker in
 * {@link #setup}.
 */
public final class FhirValidation extends ValidateRecords {
  private final boolean allowAnyResource;
  private final int maxProblems;
  private transient JsonDocumentReader reader;
  private transient FhirStructureChecker checker;

  public FhirValidation() {
    this(false, 10);
  }

  public FhirValidation(boolean allowAnyResource, int maxProblems) {
    if (maxProblems < 1) {
      throw new IllegalArgumentException("maxProblems must be at least 1");
    }
    this.allowAnyResource = allowAnyResource;
    this.maxProblems = maxProblems;
  }

  @Override
  protected void setup() {
    reader = new JsonDocumentReader();
    checker = new FhirStructureChecker(FhirR4.context(), maxProblems);
  }

  @Override
  protected ValidationResult validate(HriRecord record) throws Exception {
    JsonDocumentReader.Document document = reader.read(record, "Invalid FHIR: the record has no value");
    if (document.failure() != null) {
      return document.failure();
    }
    JsonNode root = document.json();
    List<String> problems = checker.check(root, allowAnyResource);
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

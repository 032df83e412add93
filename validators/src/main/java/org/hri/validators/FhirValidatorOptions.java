package org.hri.validators;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the {@code fhir} validator. */
public interface FhirValidatorOptions extends PipelineOptions {
  @Description("fhir validator: accept any FHIR R4 resource at the root, not only a Bundle")
  @Default.Boolean(false)
  boolean getFhirAllowAnyResource();

  void setFhirAllowAnyResource(boolean value);

  @Description("fhir validator: how many problems one failure message lists at most")
  @Default.Integer(10)
  int getFhirMaxProblems();

  void setFhirMaxProblems(int value);

  @Description("fhir validator: 'structural' (elements, cardinality, primitive values, enumerated codes; fast) or "
      + "'profile' (the structural checks, then HAPI FHIR's full R4 instance validation against the base profiles, "
      + "the value sets it can expand locally and the --fhirProfiles; no terminology server)")
  @Default.String("structural")
  String getFhirValidationLevel();

  void setFhirValidationLevel(String value);

  @Description("fhir validator, --fhirValidationLevel=profile: conformance resources to validate against as well, "
      + "comma-separated: StructureDefinition, ValueSet or CodeSystem JSON files, directories of them (*.json), or "
      + "NPM package .tgz files (their dependencies are not loaded); a record is checked against a profile when its "
      + "meta.profile names it")
  List<String> getFhirProfiles();

  void setFhirProfiles(List<String> value);
}

package org.hri.validators;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;
import org.hri.validators.fhir.FhirConformanceFiles;
import org.hri.validators.fhir.FhirR4;

/**
 * Registers {@link FhirValidation} as {@code --validator=fhir}, configured by {@link FhirValidatorOptions}. The
 * {@code --fhirProfiles} are read once here, so a missing or unusable one stops the job at start, not on its first
 * record.
 */
public final class FhirValidatorProvider implements ValidatorProvider {
  @Override
  public String name() {
    return "fhir";
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    FhirValidatorOptions fhir = options.as(FhirValidatorOptions.class);
    if (fhir.getFhirMaxProblems() < 1) {
      throw new IllegalArgumentException("--fhirMaxProblems: must be at least 1");
    }
    FhirValidationLevel level = FhirValidationLevel.named(fhir.getFhirValidationLevel());
    List<String> profiles = profiles(fhir.getFhirProfiles());
    if (!profiles.isEmpty()) {
      if (level != FhirValidationLevel.PROFILE) {
        throw new IllegalArgumentException("--fhirProfiles: needs --fhirValidationLevel=profile");
      }
      try {
        FhirConformanceFiles.read(FhirR4.context(), profiles);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--fhirProfiles: " + e.getMessage());
      }
    }
    return new FhirValidation(fhir.getFhirAllowAnyResource(), fhir.getFhirMaxProblems(), level, profiles);
  }

  /** The option's locations without blanks (Beam splits the option at commas). */
  private static List<String> profiles(List<String> option) {
    return option == null ? List.of() : option.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}

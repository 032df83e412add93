package org.hri.validators;

import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;

/** Registers {@link FhirValidation} as {@code --validator=fhir}, configured by {@link FhirValidatorOptions}. */
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
    return new FhirValidation(fhir.getFhirAllowAnyResource(), fhir.getFhirMaxProblems());
  }
}

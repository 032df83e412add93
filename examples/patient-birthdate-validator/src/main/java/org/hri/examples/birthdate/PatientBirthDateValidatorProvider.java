package org.hri.examples.birthdate;

import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;

/**
 * Registers {@link PatientBirthDateValidation} as {@code --validator=patient-birthdate}, configured by
 * {@link PatientBirthDateOptions}. Listed in {@code META-INF/services/org.hri.pipeline.validation.ValidatorProvider}.
 */
public final class PatientBirthDateValidatorProvider implements ValidatorProvider {
  public static final String NAME = "patient-birthdate";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    return new PatientBirthDateValidation(options.as(PatientBirthDateOptions.class).getBirthDateNotInFuture());
  }
}

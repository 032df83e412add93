package org.hri.validators;

import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;

/** Registers {@link PassthroughValidation} as {@code --validator=passthrough}. */
public final class PassthroughValidatorProvider implements ValidatorProvider {
  @Override
  public String name() {
    return "passthrough";
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    return new PassthroughValidation();
  }
}

package org.hri.validators;

import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;

/** Registers {@link JsonValidation} as {@code --validator=json}. */
public final class JsonValidatorProvider implements ValidatorProvider {
  @Override
  public String name() {
    return "json";
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    return new JsonValidation();
  }
}

package org.hri.validators;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Makes the validators' own options ({@code --fhirAllowAnyResource}, ...) known to Beam's option parsing, so a
 * job given them on its command line accepts them and {@code --help} lists them.
 */
public final class ValidatorOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(FhirValidatorOptions.class, JsonSchemaValidatorOptions.class);
  }
}

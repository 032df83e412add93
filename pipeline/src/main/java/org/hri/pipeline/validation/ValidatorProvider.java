package org.hri.pipeline.validation;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Makes a validator selectable by name with {@code --validator=<name>}. Register an implementation in
 * {@code META-INF/services/org.hri.pipeline.validation.ValidatorProvider}.
 */
public interface ValidatorProvider {
  /** The name users pass to {@code --validator}. */
  String name();

  /** Builds the validation transform; validator-specific options can be read from {@code options}. */
  ValidateRecords create(PipelineOptions options);
}

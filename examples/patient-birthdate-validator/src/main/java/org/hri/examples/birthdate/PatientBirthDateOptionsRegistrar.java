package org.hri.examples.birthdate;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Makes {@code --birthDateNotInFuture} known to Beam's option parsing: without it the job rejects the option as
 * unknown. Listed in {@code META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar}.
 */
public final class PatientBirthDateOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(PatientBirthDateOptions.class);
  }
}

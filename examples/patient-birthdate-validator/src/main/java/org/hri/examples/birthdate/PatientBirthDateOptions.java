package org.hri.examples.birthdate;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the {@code patient-birthdate} validator; names start with the validator's topic to avoid clashes. */
public interface PatientBirthDateOptions extends PipelineOptions {
  @Description("patient-birthdate validator: also reject a birthDate after today")
  @Default.Boolean(false)
  boolean getBirthDateNotInFuture();

  void setBirthDateNotInFuture(boolean value);
}

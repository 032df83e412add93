package org.hri.validators;

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
}

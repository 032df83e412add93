package org.hri.validators;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the {@code json-schema} validator. */
public interface JsonSchemaValidatorOptions extends PipelineOptions {
  @Description("json-schema validator: the JSON Schema (draft 2020-12 or draft-07, by its $schema; 2020-12 when it "
      + "has none), as a file path or a URL (file:, http:, https:); every worker reads it once")
  String getJsonSchema();

  void setJsonSchema(String value);

  @Description("json-schema validator: how many failing locations one failure message lists at most")
  @Default.Integer(10)
  int getJsonSchemaMaxProblems();

  void setJsonSchemaMaxProblems(int value);
}

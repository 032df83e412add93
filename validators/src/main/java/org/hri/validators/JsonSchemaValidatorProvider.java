package org.hri.validators;

import org.apache.beam.sdk.options.PipelineOptions;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatorProvider;

/**
 * Registers {@link JsonSchemaValidation} as {@code --validator=json-schema}, configured by
 * {@link JsonSchemaValidatorOptions}. The schema is loaded once here, so a bad {@code --jsonSchema} stops the job
 * at start, not on its first record.
 */
public final class JsonSchemaValidatorProvider implements ValidatorProvider {
  @Override
  public String name() {
    return "json-schema";
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    JsonSchemaValidatorOptions schema = options.as(JsonSchemaValidatorOptions.class);
    if (schema.getJsonSchema() == null || schema.getJsonSchema().isBlank()) {
      throw new IllegalArgumentException("--jsonSchema: required by --validator=json-schema (a file path or URL)");
    }
    if (schema.getJsonSchemaMaxProblems() < 1) {
      throw new IllegalArgumentException("--jsonSchemaMaxProblems: must be at least 1");
    }
    JsonSchemaValidation validation = new JsonSchemaValidation(schema.getJsonSchema(), schema.getJsonSchemaMaxProblems());
    validation.checkSchema();
    return validation;
  }
}

package org.hri.pipeline.e2e;

import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.validation.RecordValidator;
import org.hri.pipeline.validation.ValidationResult;

/** The original tests' validator: a body that parses as JSON is valid; a parse error is thrown. */
final class JsonBodyValidator implements RecordValidator {
  @Override
  public ValidationResult validate(HriRecord record) throws Exception {
    Json.mapper().readTree(record.value());
    return ValidationResult.valid();
  }
}

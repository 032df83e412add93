package org.hri.validators;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;

/**
 * Accepts a record whose value is exactly one well-formed JSON value in UTF-8. The failure names the line and
 * column of the first problem, never the offending text.
 */
public final class JsonValidation extends ValidateRecords {
  private transient JsonFactory factory;

  @Override
  protected void setup() {
    factory = JsonFactory.builder().build();
  }

  @Override
  protected ValidationResult validate(HriRecord record) throws Exception {
    if (record.value() == null) {
      return ValidationResult.invalid("Invalid JSON: the record has no value");
    }
    try (JsonParser parser = factory.createParser(record.value())) {
      if (parser.nextToken() == null) {
        return ValidationResult.invalid("Invalid JSON: the record is empty");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        return invalidAt("more than one JSON value", parser.currentTokenLocation());
      }
      return ValidationResult.valid();
    } catch (JsonProcessingException e) {
      return invalidAt(problem(e), e.getLocation());
    }
  }

  /** Jackson's own messages quote the offending text, so only the kind of problem is named. */
  private static String problem(JsonProcessingException e) {
    return e instanceof JsonEOFException ? "unexpected end of input" : "syntax error";
  }

  private static ValidationResult invalidAt(String problem, JsonLocation location) {
    return ValidationResult.invalid(
        "Invalid JSON: " + problem + " at line " + location.getLineNr() + ", column " + location.getColumnNr());
  }
}

package org.hri.validators;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidationResult;

/**
 * Reads a record's value as exactly one JSON document (duplicate properties rejected), or says why it cannot,
 * naming line and column only: Jackson's own messages quote the input.
 */
final class JsonDocumentReader {
  private final ObjectReader reader =
      new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).reader();

  /** The document, or the reason there is none. */
  record Document(JsonNode json, ValidationResult failure) {}

  Document read(HriRecord record, String noValueFailure) throws IOException {
    if (record.value() == null) {
      return failed(noValueFailure);
    }
    try (JsonParser parser = reader.createParser(record.value())) {
      JsonNode root = reader.readTree(parser);
      if (root == null || root.isMissingNode()) {
        return failed("Invalid JSON: the record is empty");
      }
      if (parser.nextToken() != null) {
        return failed("Invalid JSON: more than one JSON value at line " + parser.currentTokenLocation().getLineNr()
            + ", column " + parser.currentTokenLocation().getColumnNr());
      }
      return new Document(root, null);
    } catch (JsonProcessingException e) {
      String problem = e instanceof JsonEOFException ? "unexpected end of input"
          : e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field") ? "duplicate property"
          : "syntax error";
      return failed("Invalid JSON: " + problem + " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr());
    }
  }

  private static Document failed(String failure) {
    return new Document(null, ValidationResult.invalid(failure));
  }
}

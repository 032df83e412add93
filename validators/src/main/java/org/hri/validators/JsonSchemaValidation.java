package org.hri.validators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;

/**
 * Accepts a record whose value is one JSON value that a JSON Schema accepts. The schema (draft 2020-12 or
 * draft-07, chosen by its {@code $schema}; 2020-12 when it has none) is given by file path or URL; each worker
 * reads and compiles it once in {@link #setup}, relative {@code $ref}s resolving against its location.
 *
 * <p>The failure lists the JSON pointers of the failing places with the failing keyword, at most
 * {@code maxProblems} of them, e.g. {@code JSON Schema: /name/0/given (type), /birthDate (required)}. It never
 * quotes the record's values (the library's own messages do, so they are not used).
 */
public final class JsonSchemaValidation extends ValidateRecords {
  private static final Pattern URL = Pattern.compile("(?i)(file|https?|jar):.*");
  private static final int MAX_POINTER = 120;

  private final String schemaLocation;
  private final int maxProblems;
  private transient JsonDocumentReader reader;
  private transient JsonSchema schema;

  public JsonSchemaValidation(String schemaLocation, int maxProblems) {
    if (maxProblems < 1) {
      throw new IllegalArgumentException("maxProblems must be at least 1");
    }
    this.schemaLocation = schemaLocation;
    this.maxProblems = maxProblems;
  }

  /** Loads and compiles the schema, failing with a one-line message naming {@code --jsonSchema}. */
  void checkSchema() {
    load();
  }

  @Override
  protected void setup() {
    reader = new JsonDocumentReader();
    schema = load();
  }

  private JsonSchema load() {
    URI uri = URL.matcher(schemaLocation).matches() ? URI.create(schemaLocation) : Path.of(schemaLocation).toAbsolutePath().toUri();
    JsonNode node;
    try (InputStream in = uri.toURL().openStream()) {
      node = new ObjectMapper().readTree(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--jsonSchema: cannot read a JSON schema from " + uri + " (" + e.getClass().getSimpleName() + ")", e);
    }
    if (node == null || !(node.isObject() || node.isBoolean())) {
      throw new IllegalArgumentException("--jsonSchema: " + uri + " is not a JSON schema (an object or a boolean)");
    }
    try {
      SpecVersion.VersionFlag version =
          SpecVersionDetector.detectOptionalVersion(node, false).orElse(SpecVersion.VersionFlag.V202012);
      SchemaValidatorsConfig config = new SchemaValidatorsConfig();
      config.setPathType(PathType.JSON_POINTER);
      JsonSchema compiled = JsonSchemaFactory.getInstance(version).getSchema(SchemaLocation.of(uri.toString()), node, config);
      compiled.initializeValidators(); // resolves $refs now rather than on the first record
      return compiled;
    } catch (JsonSchemaException | UncheckedIOException e) {
      throw new IllegalArgumentException("--jsonSchema: " + uri + " is not a usable JSON schema: " + e.getMessage(), e);
    }
  }

  @Override
  protected ValidationResult validate(HriRecord record) throws Exception {
    JsonDocumentReader.Document document = reader.read(record, "Invalid JSON: the record has no value");
    if (document.failure() != null) {
      return document.failure();
    }
    JsonNode root = document.json();
    Set<ValidationMessage> messages = schema.validate(root);
    if (messages.isEmpty()) {
      return ValidationResult.valid();
    }
    List<String> listed = new ArrayList<>();
    for (ValidationMessage message : messages) {
      if (listed.size() == maxProblems) {
        break;
      }
      listed.add(describe(message));
    }
    String more = messages.size() > listed.size() ? " and " + (messages.size() - listed.size()) + " more" : "";
    return ValidationResult.invalid("JSON Schema: " + String.join(", ", listed) + more);
  }

  private static String describe(ValidationMessage message) {
    String pointer = message.getInstanceLocation().toString();
    String keyword = message.getType();
    if (message.getProperty() != null
        && ("required".equals(keyword) || "dependentRequired".equals(keyword) || "dependencies".equals(keyword)
            || "additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword))) {
      pointer = pointer + "/" + message.getProperty().replace("~", "~0").replace("/", "~1");
    }
    if (pointer.length() > MAX_POINTER) {
      pointer = pointer.substring(0, MAX_POINTER) + "...";
    }
    return (pointer.isEmpty() ? "(root)" : pointer) + " (" + keyword + ")";
  }
}

package org.hri.validators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSchemaValidationTest {
  private static final String DRAFT_2020_12 = """
      {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "type": "object",
       "required": ["id", "name"],
       "properties": {
         "id": {"type": "string", "pattern": "^[a-z]+-[0-9]+$"},
         "name": {"type": "array", "items": {"$ref": "name.json"}},
         "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
         "age": {"type": "integer", "minimum": 0}
       },
       "additionalProperties": false}
      """;
  private static final String NAME = """
      {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "type": "object", "required": ["family"],
       "properties": {"family": {"type": "string"}, "given": {"type": "array", "items": {"type": "string"}}}}
      """;
  private static final String DRAFT_07 = """
      {"$schema": "http://json-schema.org/draft-07/schema#",
       "definitions": {"code": {"type": "string", "enum": ["a", "b"]}},
       "type": "object",
       "properties": {
         "code": {"$ref": "#/definitions/code"},
         "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}
       },
       "dependencies": {"pair": ["code"]}}
      """;

  @TempDir Path dir;

  @Test
  void aDraft202012SchemaWithRelativeRefsAcceptsAndRejects() throws Exception {
    JsonSchemaValidation validation = validation(draft202012(), 10);
    assertThat(validation.validate(FhirValidationTest.record(
        "{\"id\":\"pt-1\",\"name\":[{\"family\":\"Doe\",\"given\":[\"Jo\"]}],\"pair\":[\"x\",3],\"age\":4}")),
        is(ValidationResult.valid()));

    String failure = failure(validation,
        "{\"id\":\"Secret Id 99\",\"name\":[{\"given\":[\"Jo\", 42]}],\"pair\":[\"x\",\"notanumber\"],\"age\":-7,"
            + "\"hobby\":\"fencing\"}");
    assertThat(failure, startsWith("JSON Schema: "));
    assertThat(failure, containsString("/id (pattern)"));
    assertThat(failure, containsString("/name/0/family (required)"));
    assertThat(failure, containsString("/name/0/given/1 (type)"));
    assertThat(failure, containsString("/pair/1 (type)"));
    assertThat(failure, containsString("/age (minimum)"));
    assertThat(failure, containsString("/hobby (additionalProperties)"));
    for (String value : new String[] {"Secret", "notanumber", "-7", "fencing", "42"}) {
      assertThat(failure, not(containsString(value)));
    }
  }

  @Test
  void aMissingRootPropertyIsNamedAtTheRoot() throws Exception {
    assertThat(failure(validation(draft202012(), 10), "{\"id\":\"pt-1\"}"), is("JSON Schema: /name (required)"));
    assertThat(failure(validation(draft202012(), 10), "[]"), is("JSON Schema: (root) (type)"));
  }

  @Test
  void aDraft07SchemaIsReadAsDraft07() throws Exception {
    Path schema = write("draft07.json", DRAFT_07);
    JsonSchemaValidation validation = validation(schema.toUri().toString(), 10);
    assertThat(validation.validate(FhirValidationTest.record("{\"code\":\"a\",\"pair\":[\"x\",1]}")), is(ValidationResult.valid()));
    // draft-07 tuple "items": the second item must be an integer
    assertThat(failure(validation, "{\"code\":\"a\",\"pair\":[\"x\",\"y\"]}"), is("JSON Schema: /pair/1 (type)"));
    assertThat(failure(validation, "{\"code\":\"zz-secret\"}"), is("JSON Schema: /code (enum)"));
    assertThat(failure(validation, "{\"pair\":[\"x\",1]}"), containsString("(dependencies)"));
  }

  @Test
  void theListIsCapped() throws Exception {
    JsonSchemaValidation validation = validation(draft202012(), 2);
    assertThat(failure(validation, "{\"id\":1,\"name\":2,\"age\":\"x\",\"z\":1}"),
        is("JSON Schema: /id (type), /name (type) and 2 more"));
  }

  @Test
  void invalidJsonIsInvalidWithoutQuotingIt() throws Exception {
    JsonSchemaValidation validation = validation(draft202012(), 10);
    assertThat(failure(validation, "{\"id\": secret}"), startsWith("Invalid JSON: syntax error at line 1, column "));
    assertThat(validation.validate(FhirValidationTest.record(null)).failure(), is("Invalid JSON: the record has no value"));
  }

  @Test
  void theSchemaOptionIsRequiredAndChecked() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Validators.byName("json-schema", PipelineOptionsFactory.create()));
    assertThat(missing.getMessage(), is("--jsonSchema: required by --validator=json-schema (a file path or URL)"));

    IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
        () -> Validators.byName("json-schema", PipelineOptionsFactory.fromArgs("--jsonSchema=" + dir.resolve("none.json")).create()));
    assertThat(unreadable.getMessage(), startsWith("--jsonSchema: cannot read a JSON schema from file:"));

    Path notSchema = write("bad.json", "[1]");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Validators.byName("json-schema", PipelineOptionsFactory.fromArgs("--jsonSchema=" + notSchema).create()));
    assertThat(bad.getMessage(), containsString("is not a JSON schema"));
  }

  @Test
  void theValidatorIsFoundByName() throws Exception {
    assertThat(Validators.byName("json-schema", PipelineOptionsFactory.fromArgs("--jsonSchema=" + draft202012()).create()),
        instanceOf(JsonSchemaValidation.class));
  }

  private String draft202012() throws Exception {
    write("name.json", NAME);
    return write("patient.json", DRAFT_2020_12).toString();
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static JsonSchemaValidation validation(String location, int maxProblems) {
    JsonSchemaValidation validation = (JsonSchemaValidation) Validators.byName("json-schema",
        PipelineOptionsFactory.fromArgs("--jsonSchema=" + location, "--jsonSchemaMaxProblems=" + maxProblems).create());
    validation.setup();
    return validation;
  }

  private static String failure(JsonSchemaValidation validation, String json) throws Exception {
    ValidationResult result = validation.validate(FhirValidationTest.record(json));
    assertThat(result.isValid(), is(false));
    return result.failure();
  }
}

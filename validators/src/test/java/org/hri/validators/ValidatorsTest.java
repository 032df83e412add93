package org.hri.validators;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
  @Test
  void validatorsAreFoundByName() {
    assertThat(Validators.byName("passthrough", PipelineOptionsFactory.create()), instanceOf(PassthroughValidation.class));
    assertThat(Validators.byName("json", PipelineOptionsFactory.create()), instanceOf(JsonValidation.class));
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Validators.byName("fhir-r5", PipelineOptionsFactory.create()));
    assertThat(error.getMessage(), is("--validator: no validator named 'fhir-r5' (available: fhir, json, json-schema, passthrough)"));
  }

  @Test
  void passthroughAcceptsAnything() {
    assertThat(new PassthroughValidation().validate(record(null)), is(ValidationResult.valid()));
    assertThat(new PassthroughValidation().validate(record("not json")), is(ValidationResult.valid()));
  }

  @Test
  void jsonAcceptsOneWellFormedValue() throws Exception {
    JsonValidation json = new JsonValidation();
    json.setup();
    assertThat(json.validate(record("{\"a\":[1,2,{\"b\":\"中文\"}]}")), is(ValidationResult.valid()));
    assertThat(json.validate(record("  42 ")), is(ValidationResult.valid()));
  }

  @Test
  void jsonFailuresNameLineAndColumnButNotTheContent() throws Exception {
    JsonValidation json = new JsonValidation();
    json.setup();
    assertThat(json.validate(record("{\"a\":1,\n \"secret\": tru}")).failure(),
        is("Invalid JSON: syntax error at line 2, column 16"));
    assertThat(json.validate(record("{\"a\":1}\n{\"b\":2}")).failure(),
        is("Invalid JSON: more than one JSON value at line 2, column 1"));
    assertThat(json.validate(record("{\"a\":")).failure(),
        is("Invalid JSON: unexpected end of input at line 1, column 6"));
    assertThat(json.validate(record("")).failure(), is("Invalid JSON: the record is empty"));
    assertThat(json.validate(record(null)).failure(), is("Invalid JSON: the record has no value"));
  }

  private static HriRecord record(String value) {
    return new HriRecord(
        List.of(), null, value == null ? null : value.getBytes(StandardCharsets.UTF_8), "ingest.t.d.in", 0, 0);
  }
}

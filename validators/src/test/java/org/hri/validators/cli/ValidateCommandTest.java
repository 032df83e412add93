package org.hri.validators.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void allValidRecordsFromStandardInputExitZero() {
    assertThat(run("{\"a\":1}\n[2]\n\"x\"\n", "--validator=json", "-"), is(0));
    assertThat(outLines(), contains(
        "{\"line\":1,\"valid\":true}", "{\"line\":2,\"valid\":true}", "{\"line\":3,\"valid\":true}"));
    assertThat(err(), is(""));
  }

  @Test
  void anInvalidRecordExitsOneAndEveryLineIsReportedInOrder() throws Exception {
    Path file = Files.writeString(dir.resolve("mixed.ndjson"), "{\"a\":1}\n{\"secret\": tru}\r\n\n{\"b\":2}\n");
    assertThat(run("", "--validator=json", file.toString()), is(1));
    assertThat(outLines(), contains(
        "{\"line\":1,\"valid\":true}",
        "{\"line\":2,\"valid\":false,\"failure\":\"Invalid JSON: syntax error at line 1, column 16\"}",
        "{\"line\":3,\"valid\":false,\"failure\":\"Invalid JSON: the record is empty\"}",
        "{\"line\":4,\"valid\":true}"));
  }

  @Test
  void validatorOptionsArePassedOn() throws Exception {
    List<String> sample = Files.readAllLines(Path.of("..", "data", "synthea-sample-200.ndjson")).subList(0, 3);
    Path file = Files.write(dir.resolve("sample.ndjson"), sample);
    assertThat(run("", "--validator=fhir", file.toString()), is(0));
    assertThat(outLines(), hasSize(3));

    Path patient = Files.writeString(dir.resolve("patient.ndjson"), "{\"resourceType\":\"Patient\",\"gender\":\"female\"}\n");
    out.reset();
    assertThat(run("", "--validator=fhir", patient.toString()), is(1));
    assertThat(outLines().get(0), containsString("the root must be a Bundle"));
    out.reset();
    assertThat(run("", "--validator=fhir", "--fhirAllowAnyResource=true", patient.toString()), is(0));
  }

  @Test
  void usageErrorsExitTwoWithALineNamingTheProblemThenTheUsage() throws Exception {
    assertThat(run("", "-"), is(2));
    assertThat(err(), startsWith("Missing required option: '--validator=NAME'\nUsage: validate "));
    assertThat(run("", "--validator=json"), is(2));
    assertThat(err(), startsWith("Missing required parameter: 'FILE'\n"));
    assertThat(run("", "--validator=json", "a", "b"), is(2));
    assertThat(err(), startsWith("more than one FILE\n"));
    assertThat(run("", "--validator=nope", "-"), is(2));
    assertThat(err(), startsWith("--validator: no validator named 'nope' (available: "));
    assertThat(run("", "--validator=json", "--noSuchOption=1", "-"), is(2));
    assertThat(err(), containsString("noSuchOption"));
    assertThat(run("", "--validator=json-schema", "-"), is(2));
    assertThat(err(), startsWith("--jsonSchema: required by --validator=json-schema"));
    assertThat(run("", "--validator=json", dir.resolve("missing.ndjson").toString()), is(2));
    assertThat(err(), startsWith("cannot read "));
    assertThat(out.toString(StandardCharsets.UTF_8), is(""));
    assertThat(run("", "--help"), is(0));
    assertThat(out.toString(StandardCharsets.UTF_8), startsWith("Usage: validate "));
  }

  @Test
  void anEmptyInputIsAllValid() {
    assertThat(run("", "--validator=passthrough", "-"), is(0));
    assertThat(outLines(), everyItem(is("")));
  }

  private int run(String stdin, String... args) {
    err.reset();
    return ValidateCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> outLines() {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}

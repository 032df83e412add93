package org.hri.validators.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.cli.Tool;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.LocalValidator;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.Validators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * Validates records without Kafka: {@code --validator=NAME [validator options] FILE}. FILE holds one record
 * body per line (NDJSON; {@code -} reads standard input). Prints one JSON object per input line, in input order:
 * {@code {"line": N, "valid": true}} or {@code {"line": N, "valid": false, "failure": "..."}}.
 *
 * <p>Exit code 0 when every record is valid, 1 when any is invalid, 2 on a usage error (the problem and the usage
 * on standard error). Only the validator runs: there are no batches here, so no batch checks. Prints nothing of
 * the records but what the validator's failure texts say.
 */
@Command(name = "validate",
    description = {"Validates records without Kafka: one JSON line per input line, in order,",
        "{\"line\": N, \"valid\": true|false, \"failure\": \"...\"}. Any other --name=value is a validator option."},
    exitCodeList = {"0:every record is valid", "1:a record is invalid", "2:usage error"})
public final class ValidateCommand extends Tool {
  static final String TOPIC = "validate";

  @Option(names = "--validator", required = true, paramLabel = "NAME",
      description = "passthrough, json, json-schema, fhir or another registered name")
  private String validatorName;

  @Parameters(paramLabel = "FILE", arity = "1", description = "NDJSON: one record body per line; - for standard input")
  private String file;

  /** The validator's own options ({@code --jsonSchema=...}), and anything else not known here. */
  @Unmatched private List<String> unmatched = new ArrayList<>();

  private final InputStream stdin;

  private ValidateCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the command; returns its exit code. */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return new ValidateCommand(stdin).execute(args, out, err);
  }

  @Override
  public Integer call() {
    List<String> options = new ArrayList<>();
    for (String arg : unmatched) {
      if (!arg.startsWith("--")) {
        throw usage("more than one FILE");
      }
      options.add(arg);
    }
    if (validatorName.isEmpty()) {
      throw usage("--validator=NAME is required");
    }
    ValidateRecords validation;
    try {
      PipelineOptions pipelineOptions = PipelineOptionsFactory.fromArgs(options.toArray(String[]::new)).create();
      validation = Validators.byName(validatorName, pipelineOptions);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    BufferedReader reader;
    try {
      InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
      reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw usage("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    try (LocalValidator validator = open(validation, validatorName);
        JsonGenerator json = new JsonFactory().createGenerator((OutputStream) new NonClosing(out))) {
      json.setRootValueSeparator(null);
      boolean allValid = true;
      long line = 0;
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        line++;
        HriRecord record = new HriRecord(List.of(), null, text.getBytes(StandardCharsets.UTF_8), TOPIC, 0, line - 1);
        ValidationResult result = validator.validate(record);
        allValid &= result.isValid();
        json.writeStartObject();
        json.writeNumberField("line", line);
        json.writeBooleanField("valid", result.isValid());
        if (!result.isValid()) {
          json.writeStringField("failure", result.failure());
        }
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
      }
      return allValid ? 0 : 1;
    } catch (SetupFailed e) {
      throw usage(e.getMessage());
    } catch (IOException e) {
      err.println("validate: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      return 2;
    } catch (Exception e) {
      err.println("validate: " + e.getClass().getName() + ": " + e.getMessage());
      return 2;
    } finally {
      if (!file.equals("-")) {
        try {
          reader.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  private static LocalValidator open(ValidateRecords validation, String name) throws SetupFailed {
    try {
      return LocalValidator.open(validation);
    } catch (Exception e) {
      throw new SetupFailed("validator " + name + " failed to set up: " + e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private static final class SetupFailed extends Exception {
    SetupFailed(String message) {
      super(message);
    }
  }

  /** Lets the generator be closed without closing standard output. */
  private static final class NonClosing extends OutputStream {
    private final PrintStream out;

    NonClosing(PrintStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(b, off, len);
    }

    @Override
    public void flush() {
      out.flush();
      if (out.checkError()) {
        throw new UncheckedIOException(new IOException("standard output failed"));
      }
    }
  }
}

package org.hri.pipeline.validation;

import org.hri.pipeline.model.HriRecord;

/**
 * Runs a validation transform's hooks outside a pipeline — {@code setup}, then {@code validate} per record,
 * then {@code teardown} on close — with the verdicts the job gives: whatever the validator throws, or a null
 * result, makes the record invalid, with the same text. For tools (offline validation) and validator authors' tests.
 */
public final class LocalValidator implements AutoCloseable {
  private final ValidateRecords validation;

  private LocalValidator(ValidateRecords validation) {
    this.validation = validation;
  }

  /** Runs the validation's {@code setup}. */
  public static LocalValidator open(ValidateRecords validation) throws Exception {
    validation.setup();
    return new LocalValidator(validation);
  }

  public ValidationResult validate(HriRecord record) {
    return validate(validation, record);
  }

  /**
   * The job's verdict for one record: the validator's, or invalid when it answers nothing or throws anything —
   * an exception, or an error such as {@code StackOverflowError} on deeply nested input: one record must not
   * stop the stream, and a restart would only repeat it. The text is the throwable's class name alone, since
   * messages (a parser's above all) quote the input.
   */
  static ValidationResult validate(ValidateRecords validation, HriRecord record) {
    try {
      ValidationResult result = validation.validate(record);
      return result != null ? result : ValidationResult.invalid("Validator returned no result");
    } catch (Throwable e) {
      return ValidationResult.invalid(e.getClass().getName());
    }
  }

  @Override
  public void close() throws Exception {
    validation.teardown();
  }
}

package org.hri.pipeline.validation;

import org.hri.pipeline.model.HriRecord;

/**
 * Runs a validation transform's hooks outside a pipeline — {@code setup}, then {@code validate} per record,
 * then {@code teardown} on close — with the verdicts the job gives: a thrown exception or a null result makes
 * the record invalid, with the same text. For tools (offline validation) and validator authors' tests.
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

  /** The job's verdict for one record: the validator's, or invalid when it throws or answers nothing. */
  static ValidationResult validate(ValidateRecords validation, HriRecord record) {
    try {
      ValidationResult result = validation.validate(record);
      return result != null ? result : ValidationResult.invalid("Validator returned no result");
    } catch (Exception e) {
      // The exception's own message is the validator author's text; the record itself is never added.
      return ValidationResult.invalid(e.getClass().getName() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    validation.teardown();
  }
}

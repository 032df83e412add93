package org.hri.pipeline.validation;

/** What a validator says of one record: valid, or invalid with a failure text (never the record's payload). */
public record ValidationResult(boolean isValid, String failure) {
  private static final ValidationResult VALID = new ValidationResult(true, null);

  public static ValidationResult valid() {
    return VALID;
  }

  public static ValidationResult invalid(String failure) {
    return new ValidationResult(false, failure);
  }
}

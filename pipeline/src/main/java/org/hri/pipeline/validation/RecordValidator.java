package org.hri.pipeline.validation;

import java.io.Serializable;
import org.hri.pipeline.model.HriRecord;

/**
 * Validates one record's content. Serializable because it travels to every worker; a thrown exception makes
 * the record invalid with the exception's class name (never its message, which may quote the record).
 */
@FunctionalInterface
public interface RecordValidator extends Serializable {
  ValidationResult validate(HriRecord record) throws Exception;
}

package org.hri.validators;

import java.util.Locale;

/** How much the {@code fhir} validator checks ({@code --fhirValidationLevel}). */
public enum FhirValidationLevel {
  /** Elements, cardinality, primitive values and enumerated codes, against HAPI FHIR's R4 model: fast. */
  STRUCTURAL,
  /** The structural checks, then HAPI FHIR's full R4 instance validation: profiles, invariants, local terminology. */
  PROFILE;

  /** The level named {@code name} ({@code structural} or {@code profile}, any case). */
  public static FhirValidationLevel named(String name) {
    for (FhirValidationLevel level : values()) {
      if (level.optionValue().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return level;
      }
    }
    throw new IllegalArgumentException("--fhirValidationLevel: must be structural or profile");
  }

  /** Its name as the option takes it. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}

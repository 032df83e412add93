package org.hri.bench.jmh;

import java.net.URL;
import java.util.List;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.validators.FhirValidation;
import org.hri.validators.FhirValidationLevel;
import org.hri.validators.JsonSchemaValidation;
import org.hri.validators.JsonValidation;
import org.hri.validators.PassthroughValidation;

/**
 * The validators the JMH benchmarks run, by the name of their {@code validator} parameter, each configured as the
 * job's defaults would configure it ({@code --fhirMaxProblems=10}, {@code --jsonSchemaMaxProblems=10}).
 */
final class BenchValidators {
  static final String PASSTHROUGH = "passthrough";
  static final String JSON = "json";
  static final String JSON_SCHEMA = "json-schema";
  static final String FHIR_STRUCTURAL = "fhir-structural";
  static final String FHIR_PROFILE = "fhir-profile";

  /** The schema {@code json-schema} uses: an outline of a FHIR R4 Bundle (in the benchmarks jar). */
  static final String BUNDLE_SCHEMA = "/jmh/fhir-bundle.schema.json";

  private BenchValidators() {}

  /** A new, not yet set-up validation transform ({@link org.hri.pipeline.validation.LocalValidator#open} sets it up). */
  static ValidateRecords create(String name) {
    return switch (name) {
      case PASSTHROUGH -> new PassthroughValidation();
      case JSON -> new JsonValidation();
      case JSON_SCHEMA -> new JsonSchemaValidation(schemaLocation(), 10);
      case FHIR_STRUCTURAL -> new FhirValidation(false, 10, FhirValidationLevel.STRUCTURAL, List.of());
      case FHIR_PROFILE -> new FhirValidation(false, 10, FhirValidationLevel.PROFILE, List.of());
      default -> throw new IllegalArgumentException("unknown validator " + name);
    };
  }

  /** A {@code jar:} (or {@code file:}) URL, which {@link JsonSchemaValidation} reads as a URL. */
  private static String schemaLocation() {
    URL url = BenchValidators.class.getResource(BUNDLE_SCHEMA);
    if (url == null) {
      throw new IllegalStateException(BUNDLE_SCHEMA + " is not on the class path");
    }
    return url.toString();
  }
}

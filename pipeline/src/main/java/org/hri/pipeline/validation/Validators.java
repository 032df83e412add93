package org.hri.pipeline.validation;

import java.util.ServiceLoader;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;

/** Finds validators registered through {@link ValidatorProvider}. */
public final class Validators {
  private Validators() {}

  /** The validator registered as {@code name}; the error lists the names that exist. */
  public static ValidateRecords byName(String name, PipelineOptions options) {
    TreeSet<String> known = new TreeSet<>();
    for (ValidatorProvider provider : ServiceLoader.load(ValidatorProvider.class)) {
      if (provider.name().equals(name)) {
        return provider.create(options);
      }
      known.add(provider.name());
    }
    throw new IllegalArgumentException(
        "--validator: no validator named '" + name + "' (available: " + String.join(", ", known) + ")");
  }
}

package org.hri.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.hri.pipeline.validation.ValidatorProvider;

/** A validator registered by name with an option of its own, to run the kit's by-name path. */
public final class PrefixValidatorProvider implements ValidatorProvider {
  @Override
  public String name() {
    return "testkit-prefix";
  }

  @Override
  public ValidateRecords create(PipelineOptions options) {
    byte[] prefix = options.as(Options.class).getTestkitPrefix().getBytes(StandardCharsets.UTF_8);
    return ValidateRecords.using(
        record -> record.value() != null
                && record.value().length >= prefix.length
                && Arrays.equals(record.value(), 0, prefix.length, prefix, 0, prefix.length)
            ? ValidationResult.valid()
            : ValidationResult.invalid("Does not start with the required prefix"));
  }

  /** {@code --testkitPrefix}. */
  public interface Options extends PipelineOptions {
    @Description("testkit-prefix validator: the prefix every value must start with")
    @Default.String("{")
    String getTestkitPrefix();

    void setTestkitPrefix(String value);
  }

  /** Makes {@code --testkitPrefix} known to the job's option parsing. */
  public static final class Registrar implements PipelineOptionsRegistrar {
    @Override
    public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
      return List.of(Options.class);
    }
  }
}

package org.hri.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.LocalValidator;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A worker's start-up cost for a validator: build it, run its {@code setup} and validate the sample's first record,
 * in a JVM that has not done it before. HAPI FHIR's context and instance validators are built once per JVM in
 * static holders ({@code FhirR4}, {@code FhirR4Profiles}), so only the first time in a JVM is a cold start: each
 * fork measures exactly one shot, without warm-up, and the score is over the forks.
 *
 * <p>Before the shot, in {@link #load}: the first record is read, and the pipeline's own classes (the Beam
 * transform {@code ValidateRecords} and {@link LocalValidator}) are loaded by validating it with a plain lambda
 * validator, as a worker has loaded them long before a validator's {@code setup}. The shot then costs what the
 * validator itself brings: its classes and libraries (Jackson, the schema library, HAPI FHIR) and its state.
 *
 * <p>Options on JMH's command line override these annotations for every benchmark they select: {@code -wi} or
 * {@code -i} above 0 and 1 here would measure a warm JVM, and {@code -f 1} leaves a single sample.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(5)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class ValidatorStartup {
  @Param({BenchValidators.PASSTHROUGH, BenchValidators.JSON, BenchValidators.JSON_SCHEMA,
      BenchValidators.FHIR_STRUCTURAL, BenchValidators.FHIR_PROFILE})
  public String validator;

  private HriRecord first;
  private LocalValidator local;

  @Setup(Level.Trial)
  public void load() throws Exception {
    first = SyntheaSample.records(List.of(SyntheaSample.bodies().get(0)))[0];
    try (LocalValidator pipelineOnly = LocalValidator.open(ValidateRecords.using(record -> ValidationResult.valid()))) {
      if (!pipelineOnly.validate(first).isValid()) {
        throw new IllegalStateException("the lambda validator rejected the record");
      }
    }
  }

  /** Builds and sets up the validator and validates one record; the verdict goes to JMH's blackhole. */
  @Benchmark
  public ValidationResult buildAndValidateFirst() throws Exception {
    local = LocalValidator.open(BenchValidators.create(validator));
    return local.validate(first);
  }

  @TearDown(Level.Iteration)
  public void close() throws Exception {
    if (local != null) {
      local.close();
      local = null;
    }
  }
}

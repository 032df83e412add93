package org.hri.bench.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.LocalValidator;
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
 * Records per second of one validator on one thread: every invocation validates one record with the validator's
 * real hooks ({@link LocalValidator}: {@code setup} once, then {@code validate}, with the job's verdict rules), so
 * the score is records/s and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes allocated per record.
 *
 * <p>{@code records=sample} cycles through the 200 Synthea bundles in file order (sizes 3-58 KB, mean 11 KB);
 * {@code records=median} validates the sample's median-size bundle (6.3 KB) over and over. Not run by default:
 * {@code -p records=near-median} cycles through the 21 bundles nearest to the median in size ({@link SyntheaSample}).
 * The secondary result {@code threadCpuNanos} ({@link ThreadCpu}) is the benchmark thread's CPU time per second of
 * wall time: below 10^9 when the machine is busy and the thread had less than a core.
 *
 * <p>The validator is built and set up, and the records loaded, in {@link #setUp} (outside the measurement);
 * for {@code fhir-profile} that builds HAPI's instance validator, which takes seconds. Every record is checked
 * once there: the run stops if a validator that should accept the whole sample rejects a record, so that the
 * failure path is never what is measured by accident (for {@code fhir-profile}, rejected records are counted and
 * the count printed; record content never is).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValidatorThroughput {
  @Param({BenchValidators.PASSTHROUGH, BenchValidators.JSON, BenchValidators.JSON_SCHEMA,
      BenchValidators.FHIR_STRUCTURAL, BenchValidators.FHIR_PROFILE})
  public String validator;

  @Param({SyntheaSample.ALL, SyntheaSample.MEDIAN})
  public String records;

  private LocalValidator local;
  private HriRecord[] data;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    List<byte[]> bodies = SyntheaSample.bodies(records);
    data = SyntheaSample.records(bodies);
    local = LocalValidator.open(BenchValidators.create(validator));
    int invalid = 0;
    for (HriRecord record : data) {
      if (!local.validate(record).isValid()) {
        invalid++;
      }
    }
    if (invalid > 0 && !validator.equals(BenchValidators.FHIR_PROFILE)) {
      throw new IllegalStateException(validator + " rejects " + invalid + " of the " + data.length
          + " records: the benchmark would measure the failure path");
    }
    System.out.printf("%n[%s, records=%s] %d records, mean %.0f bytes, %d invalid%n",
        validator, records, data.length, SyntheaSample.meanBytes(bodies), invalid);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    local.close();
  }

  /** Validates the next record (cycling through the record set); the result goes to JMH's blackhole. */
  @Benchmark
  public ValidationResult validate(ThreadCpu cpu) {
    HriRecord record = data[next];
    if (++next == data.length) {
      next = 0;
    }
    return local.validate(record);
  }
}

package org.hri.testkit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.apache.beam.sdk.PipelineResult;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.junit.jupiter.api.Test;

/** A job that dies (here: the validator's setup throws) fails the wait at once, not at the deadline. */
class StoppedJobTest {
  /** A validator whose per-worker setup fails, e.g. for a schema file that is not there. */
  static final class BrokenSetup extends ValidateRecords {
    @Override
    protected void setup() {
      throw new IllegalStateException("schema not found");
    }

    @Override
    protected ValidationResult validate(HriRecord record) {
      return ValidationResult.valid();
    }
  }

  @Test
  void aFailedJobEndsTheWaitWithItsCause() throws InterruptedException {
    try (ValidatorTestRun run = ValidatorTestKit.forValidator(new BrokenSetup()).start()) {
      long start = System.nanoTime();
      AssertionError error =
          assertThrows(AssertionError.class, () -> run.batch("b").record("{}").sendCompleted().awaitVerdict());

      assertThat(error.getMessage(), is("The job failed"));
      assertThat(rootCause(error).getMessage(), is("schema not found"));
      // The DirectRunner reports the failure to waitUntilFinish a moment before getState() says FAILED.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (run.jobState() != PipelineResult.State.FAILED && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(run.jobState(), is(PipelineResult.State.FAILED));
      assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(ValidatorTestKit.DEFAULT_DEADLINE));
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

package org.hri.testkit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;

/** A validator found by its registered name, configured with its own option. */
class NamedValidatorTest {
  @Test
  void theNamedValidatorRunsWithItsOption() {
    ValidatorTestKit kit = ValidatorTestKit.forValidatorNamed("testkit-prefix").withArgs("--testkitPrefix=<");
    try (ValidatorTestRun run = kit.start()) {
      ValidatorTestRun.Outcome outcome = run.batch("b1").record("<a/>").record("{}").sendCompleted().awaitVerdict();

      assertThat(outcome.status(), is(BatchStatus.COMPLETED));
      assertThat(outcome.validValues(), contains("<a/>"));
      assertThat(outcome.failuresByRecord(), is(Map.of(1, "Does not start with the required prefix")));
    }
  }

  @Test
  void anUnknownNameOrOptionFailsAtStartWithoutAJob() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> ValidatorTestKit.forValidatorNamed("nope").start());
    assertThat(unknown.getMessage(), startsWith("--validator: no validator named 'nope' (available: "));
    assertThrows(
        IllegalArgumentException.class,
        () -> ValidatorTestKit.forValidatorNamed("testkit-prefix").withArgs("--noSuchOption=1").start());
  }
}

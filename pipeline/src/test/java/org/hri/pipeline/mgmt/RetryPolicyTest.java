package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaultsAreOneSecondDoublingToFiveMinutesForADay() {
    RetryPolicy policy = RetryPolicy.defaults();
    assertThat(policy.initialBackoff(), is(Duration.ofSeconds(1)));
    assertThat(policy.maxBackoff(), is(Duration.ofMinutes(5)));
    assertThat(policy.giveUpAfter(), is(Duration.ofHours(24)));
    assertThat(policy.giveUpMessage(), is("Reached max HRI Management API retry timeout of 24 hours"));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy policy = RetryPolicy.defaults();
    List<Long> seconds = new ArrayList<>();
    for (int attempt = 1; attempt <= 11; attempt++) {
      seconds.add(policy.backoff(attempt).getSeconds());
    }
    assertThat(seconds, contains(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L));
    assertThat(policy.backoff(Integer.MAX_VALUE), is(Duration.ofMinutes(5)));
  }

  @Test
  void givesUpOnceTheNextWaitWouldPassTheLimit() {
    // As in the original sink test: 1 ms doubling, 8 ms in total.
    RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(1), Duration.ofSeconds(1), Duration.ofMillis(8));
    List<Duration> waits = new ArrayList<>();
    Duration waited = Duration.ZERO;
    int failed = 1;
    for (Optional<Duration> next = policy.nextBackoff(failed, waited);
        next.isPresent();
        next = policy.nextBackoff(++failed, waited)) {
      waits.add(next.get());
      waited = waited.plus(next.get());
    }
    assertThat(waits, contains(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4)));
    assertThat(failed, is(4)); // 4 calls in all: the first and 3 retries
    assertThat(policy.giveUpMessage(), is("Reached max HRI Management API retry timeout of 8 milliseconds"));
  }

  @Test
  void aWaitEndingExactlyAtTheLimitIsStillAllowed() {
    RetryPolicy policy = RetryPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3));
    assertThat(policy.nextBackoff(3, Duration.ofSeconds(2)), is(Optional.of(Duration.ofSeconds(1))));
    assertThat(policy.nextBackoff(4, Duration.ofSeconds(3)), is(Optional.empty()));
  }

  @Test
  void aFullDayOfRetriesTakesAboutTheExpectedNumberOfCalls() {
    RetryPolicy policy = RetryPolicy.defaults();
    Duration waited = Duration.ZERO;
    int failed = 1;
    for (Optional<Duration> next = policy.nextBackoff(failed, waited);
        next.isPresent();
        next = policy.nextBackoff(++failed, waited)) {
      waited = waited.plus(next.get());
    }
    // 1+2+...+256 = 511 s, then 300 s each: (86400 - 511) / 300 = 286 more waits.
    assertThat(failed, is(9 + 286 + 1));
    assertThat(waited, is(Duration.ofSeconds(511 + 286 * 300)));
  }

  @Test
  void humanReadableDurationsUseTheLargestExactUnit() {
    assertThat(RetryPolicy.humanReadable(Duration.ofHours(24)), is("24 hours"));
    assertThat(RetryPolicy.humanReadable(Duration.ofHours(1)), is("1 hour"));
    assertThat(RetryPolicy.humanReadable(Duration.ofMinutes(5)), is("5 minutes"));
    assertThat(RetryPolicy.humanReadable(Duration.ofSeconds(30)), is("30 seconds"));
    assertThat(RetryPolicy.humanReadable(Duration.ofSeconds(90)), is("90 seconds"));
    assertThat(RetryPolicy.humanReadable(Duration.ofMillis(10)), is("10 milliseconds"));
    assertThat(RetryPolicy.humanReadable(Duration.ofMillis(1500)), is("1500 milliseconds"));
    assertThat(RetryPolicy.humanReadable(Duration.ofNanos(5)), is("5 nanoseconds"));
    assertThat(
        RetryPolicy.defaults().withGiveUpAfter(Duration.ofSeconds(30)).giveUpMessage(),
        is("Reached max HRI Management API retry timeout of 30 seconds"));
  }

  @Test
  void withersReplaceOneValue() {
    RetryPolicy policy =
        RetryPolicy.defaults()
            .withInitialBackoff(Duration.ofMillis(5))
            .withMaxBackoff(Duration.ofMillis(50))
            .withGiveUpAfter(Duration.ofSeconds(2));
    assertThat(policy, equalTo(RetryPolicy.of(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(2))));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().withInitialBackoff(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> RetryPolicy.defaults().withMaxBackoff(Duration.ofMillis(10)));
    assertThrows(
        IllegalArgumentException.class, () -> RetryPolicy.defaults().withGiveUpAfter(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.defaults().backoff(0));
  }

  @Test
  void isSerializable() throws Exception {
    RetryPolicy policy = RetryPolicy.of(Duration.ofMillis(3), Duration.ofSeconds(7), Duration.ofMinutes(11));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(policy);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject(), equalTo(policy));
    }
  }
}

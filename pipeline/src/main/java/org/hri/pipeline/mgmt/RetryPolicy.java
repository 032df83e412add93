package org.hri.pipeline.mgmt;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Exponential backoff for Management API calls: the first retry waits {@code
 * initialBackoff}, each later one twice as long up to {@code maxBackoff}, and the caller gives up once the
 * total wait would exceed {@code giveUpAfter}. Defaults: 1 s, 5 min, 24 h.
 *
 * <p>The policy keeps no clock: callers pass the sum of the backoffs they already waited, so a fake clock (or
 * a Beam timer) drives it deterministically.
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofHours(24);

  private static final String GIVE_UP_PREFIX = "Reached max HRI Management API retry timeout of ";

  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration giveUpAfter;

  private RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(giveUpAfter, "giveUpAfter");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must not be less than initialBackoff");
    }
    if (giveUpAfter.isNegative()) {
      throw new IllegalArgumentException("giveUpAfter must not be negative");
    }
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.giveUpAfter = giveUpAfter;
  }

  /** 1 s doubling to 5 min, giving up after 24 h: the original job's policy. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_GIVE_UP_AFTER);
  }

  public static RetryPolicy of(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {
    return new RetryPolicy(initialBackoff, maxBackoff, giveUpAfter);
  }

  public RetryPolicy withInitialBackoff(Duration initialBackoff) {
    return new RetryPolicy(initialBackoff, maxBackoff, giveUpAfter);
  }

  public RetryPolicy withMaxBackoff(Duration maxBackoff) {
    return new RetryPolicy(initialBackoff, maxBackoff, giveUpAfter);
  }

  public RetryPolicy withGiveUpAfter(Duration giveUpAfter) {
    return new RetryPolicy(initialBackoff, maxBackoff, giveUpAfter);
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration giveUpAfter() {
    return giveUpAfter;
  }

  /**
   * The wait after {@code failedAttempts} failed calls (at least 1), ignoring the give-up limit: {@code
   * initialBackoff * 2^(failedAttempts - 1)}, capped at {@code maxBackoff}.
   */
  public Duration backoff(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1");
    }
    Duration backoff = initialBackoff;
    for (int i = 1; i < failedAttempts && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  /**
   * How long to wait before the next try after {@code failedAttempts} failed calls, or empty when that wait
   * would take the total past {@code giveUpAfter}. {@code waitedSoFar} is the sum of the backoffs already
   * waited for this call.
   */
  public Optional<Duration> nextBackoff(int failedAttempts, Duration waitedSoFar) {
    return nextBackoff(failedAttempts, waitedSoFar, Optional.empty());
  }

  /**
   * As {@link #nextBackoff(int, Duration)}, waiting at least what the server asked for with {@code Retry-After}
   * — but no longer than {@code maxBackoff}, since the header is the server's word, not ours.
   */
  public Optional<Duration> nextBackoff(int failedAttempts, Duration waitedSoFar, Optional<Duration> serverAsked) {
    Duration next = backoff(failedAttempts);
    if (serverAsked.isPresent() && serverAsked.get().compareTo(next) > 0) {
      next = serverAsked.get().compareTo(maxBackoff) > 0 ? maxBackoff : serverAsked.get();
    }
    return waitedSoFar.plus(next).compareTo(giveUpAfter) > 0 ? Optional.empty() : Optional.of(next);
  }

  /** As {@link #nextBackoff(int, Duration, Optional)}, with the {@code Retry-After} of {@code failure}, if any. */
  public Optional<Duration> nextBackoff(int failedAttempts, Duration waitedSoFar, java.io.IOException failure) {
    Optional<Duration> serverAsked =
        failure instanceof ManagementApiException answer ? answer.retryAfter() : Optional.empty();
    return nextBackoff(failedAttempts, waitedSoFar, serverAsked);
  }

  /** {@code Reached max HRI Management API retry timeout of 24 hours} (with this policy's limit). */
  public String giveUpMessage() {
    return GIVE_UP_PREFIX + humanReadable(giveUpAfter);
  }

  /**
   * A duration in the largest of hours, minutes, seconds, milliseconds or nanoseconds that expresses it
   * exactly, e.g. "24 hours", "90 seconds", "1 minute", as the original job printed Scala durations.
   */
  static String humanReadable(Duration duration) {
    long nanos = duration.toNanos();
    long[] unitNanos = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1L};
    String[] unitNames = {"hour", "minute", "second", "millisecond", "nanosecond"};
    for (int i = 0; i < unitNanos.length; i++) {
      if (nanos % unitNanos[i] == 0 && (nanos != 0 || i == unitNanos.length - 1)) {
        long amount = nanos / unitNanos[i];
        return amount + " " + unitNames[i] + (amount == 1 ? "" : "s");
      }
    }
    throw new AssertionError("unreachable");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy other
        && initialBackoff.equals(other.initialBackoff)
        && maxBackoff.equals(other.maxBackoff)
        && giveUpAfter.equals(other.giveUpAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialBackoff, maxBackoff, giveUpAfter);
  }

  @Override
  public String toString() {
    return "RetryPolicy{initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", giveUpAfter="
        + giveUpAfter + "}";
  }
}

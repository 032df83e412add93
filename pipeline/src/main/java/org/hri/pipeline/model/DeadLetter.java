package org.hri.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;

/**
 * Something the job gave up on that has no record to route to {@code *.invalid}: a notification it could not
 * read, a verdict the Management API refused or never accepted. It says what, where from and why, never a
 * payload; of a verdict it keeps what an operator needs to apply it by hand (status, counts, failure message),
 * not the batch's name or metadata, which an integrator chose and may have made large.
 *
 * @param subject the notification's position ({@code topic-partition@offset}) or the verdict's batch id
 * @param verdict the verdict given up, for the verdict kinds; null otherwise
 */
@JsonPropertyOrder({"kind", "subject", "reason", "verdict"})
public record DeadLetter(
    @JsonProperty("kind") Kind kind,
    @JsonProperty("subject") String subject,
    @JsonProperty("reason") String reason,
    @JsonProperty("verdict") Verdict verdict) {

  /** A verdict as the Management API would have been told it. */
  @JsonPropertyOrder({"status", "actualRecordCount", "invalidRecordCount", "failureMessage"})
  public record Verdict(
      @JsonProperty("status") BatchStatus status,
      @JsonProperty("actualRecordCount") Long actualRecordCount,
      @JsonProperty("invalidRecordCount") Long invalidRecordCount,
      @JsonProperty("failureMessage") String failureMessage) {}

  /** Why there is a dead letter; written in lower case with hyphens. */
  public enum Kind {
    /** A notification that is not one (see {@link BatchNotification#fromJson}), or a tombstone. */
    MALFORMED_NOTIFICATION,
    /** The Management API answered the verdict with a 4xx about the batch itself: not retried. */
    VERDICT_REJECTED,
    /** The Management API kept failing for longer than the retry timeout. */
    VERDICT_GIVEN_UP,
    /** The input ended (a drain, a bounded run) while the verdict still waited for a retry. */
    VERDICT_UNSENT;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public DeadLetter {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    reason = InvalidRecord.capped(Objects.requireNonNull(reason, "reason")); // API answers are untrusted text
  }

  /** A notification at {@code position} that could not be read; {@code reason} must name no value of it. */
  public static DeadLetter malformedNotification(String position, String reason) {
    return new DeadLetter(Kind.MALFORMED_NOTIFICATION, position, reason, null);
  }

  /** A verdict that was not applied; {@code reason} is the API's answer or the transport error. */
  public static DeadLetter verdict(Kind kind, BatchNotification verdict, String reason) {
    return new DeadLetter(kind, verdict.id(), reason, new Verdict(verdict.status(), verdict.actualRecordCount(),
        verdict.invalidRecordCount(), verdict.failureMessage()));
  }

  /** One log line: kind, subject, reason and, for a verdict, what an operator needs to apply it by hand. */
  public String describe() {
    String line = kind.label() + " " + subject + ": " + reason;
    return verdict == null
        ? line
        : line + "; verdict " + verdict.status().json() + ", actualRecordCount " + verdict.actualRecordCount()
            + ", invalidRecordCount " + verdict.invalidRecordCount()
            + (verdict.failureMessage() == null ? "" : ", failureMessage \"" + verdict.failureMessage() + "\"");
  }

  public byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DeadLetter fromJson(byte[] json) throws IOException {
    return Json.mapper().readValue(json, DeadLetter.class);
  }
}

package org.hri.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;

/**
 * A batch notification (HRI {@code batchNotification.json}, v1 to v3). Unknown fields are ignored when read;
 * null fields are left out when written; dates are read in any ISO-8601 offset form and written as whole
 * seconds in UTC.
 *
 * <p>{@code invalidThreshold} defaults to -1 (no threshold) when absent, as in v1 notifications.
 */
@JsonPropertyOrder({
  "id", "name", "integratorId", "topic", "dataType", "status", "startDate", "endDate", "recordCount",
  "expectedRecordCount", "actualRecordCount", "invalidThreshold", "invalidRecordCount", "metadata",
  "failureMessage"
})
public record BatchNotification(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("integratorId") String integratorId,
    @JsonProperty("topic") String topic,
    @JsonProperty("dataType") String dataType,
    @JsonProperty("status") BatchStatus status,
    @JsonProperty("startDate") OffsetDateTime startDate,
    @JsonProperty("endDate") OffsetDateTime endDate,
    @JsonProperty("recordCount") Long recordCount,
    @JsonProperty("expectedRecordCount") Long expectedRecordCount,
    @JsonProperty("actualRecordCount") Long actualRecordCount,
    @JsonProperty("invalidThreshold") Long invalidThreshold,
    @JsonProperty("invalidRecordCount") Long invalidRecordCount,
    @JsonProperty("metadata") JsonNode metadata,
    @JsonProperty("failureMessage") String failureMessage) {

  /** No threshold: invalid records never fail the batch. */
  public static final long NO_THRESHOLD = -1L;

  public BatchNotification {
    if (invalidThreshold == null) {
      invalidThreshold = NO_THRESHOLD;
    }
  }

  /**
   * The record count the integrator announced with sendComplete; the deprecated {@code recordCount} is used
   * when {@code expectedRecordCount} is absent. Null before sendComplete.
   */
  public Long expectedCount() {
    return expectedRecordCount != null ? expectedRecordCount : recordCount;
  }

  /**
   * A copy carrying a verdict: the given final status and counts, the failure message (or none), and the
   * given end date. Every other field is kept.
   */
  public BatchNotification withVerdict(
      BatchStatus verdict, long actual, long invalid, String failure, OffsetDateTime end) {
    return new BatchNotification(
        id, name, integratorId, topic, dataType, verdict, startDate, end, recordCount, expectedRecordCount,
        actual, invalidThreshold, invalid, metadata, failure);
  }

  /** Largest notification read; anything bigger is not a notification (the original's limit was Kafka's). */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final java.util.List<String> COUNT_FIELDS =
      java.util.List.of(
          "recordCount", "expectedRecordCount", "actualRecordCount", "invalidRecordCount", "invalidThreshold");
  private static final java.util.List<String> TEXT_FIELDS =
      java.util.List.of(
          "id", "name", "integratorId", "topic", "dataType", "status", "startDate", "endDate", "failureMessage");

  /**
   * Parses a notification, which is untrusted input: fails with an {@link InvalidNotificationException} for
   * anything but a JSON object of at most {@link #MAX_BYTES} whose counts are whole numbers (no strings,
   * fractions or negatives; a threshold of at least -1), whose texts are strings, with a known {@code status}
   * and an {@code id} that {@link BatchIdHeader#isValidId} accepts. Messages name the field, never its value.
   */
  public static BatchNotification fromJson(byte[] json) throws IOException {
    if (json.length > MAX_BYTES) {
      throw new InvalidNotificationException("Notification is larger than 1 MB");
    }
    JsonNode tree = Json.mapper().readTree(json);
    if (tree == null || tree.isMissingNode()) {
      throw new IOException("Notification is empty"); // not JSON at all, like a parse error
    }
    if (tree.isNull()) {
      throw new InvalidNotificationException("Notification is JSON null");
    }
    if (!tree.isObject()) {
      throw new InvalidNotificationException("Notification is not a JSON object");
    }
    for (String field : TEXT_FIELDS) {
      JsonNode value = tree.get(field);
      if (value != null && !value.isNull() && !value.isTextual()) {
        throw new InvalidNotificationException("Notification field " + field + " is not a string");
      }
    }
    for (String field : COUNT_FIELDS) {
      JsonNode value = tree.get(field);
      if (value != null && !value.isNull() && !(value.isIntegralNumber() && value.canConvertToLong())) {
        throw new InvalidNotificationException("Notification field " + field + " is not a whole number");
      }
    }
    BatchNotification notification;
    try {
      notification = Json.mapper().treeToValue(tree, BatchNotification.class);
    } catch (IOException e) {
      // Jackson's message would quote the offending value.
      throw new InvalidNotificationException("Notification is malformed (" + e.getClass().getSimpleName() + ")");
    }
    if (notification.id() == null || notification.id().isEmpty()) {
      throw new InvalidNotificationException("Notification has no id");
    }
    if (!BatchIdHeader.isValidId(notification.id())) {
      throw new InvalidNotificationException("Notification id is not a valid batch id");
    }
    if (notification.status() == null) {
      throw new InvalidNotificationException("Notification has no status");
    }
    for (String field : COUNT_FIELDS) {
      JsonNode value = tree.get(field);
      long floor = field.equals("invalidThreshold") ? NO_THRESHOLD : 0;
      if (value != null && !value.isNull() && value.asLong() < floor) {
        throw new InvalidNotificationException("Notification field " + field + " is below " + floor);
      }
    }
    return notification;
  }

  public byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

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

  /** Parses a notification; fails for malformed JSON, a missing {@code id} or {@code status}. */
  public static BatchNotification fromJson(byte[] json) throws IOException {
    BatchNotification notification = Json.mapper().readValue(json, BatchNotification.class);
    if (notification == null) {
      throw new IOException("Notification is JSON null");
    }
    if (notification.id() == null || notification.id().isEmpty()) {
      throw new IOException("Notification has no id");
    }
    if (notification.status() == null) {
      throw new IOException("Notification has no status");
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

package org.hri.pipeline.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record read from an HRI input topic, as validators see it: headers (in order), key and value bytes
 * (each may be null), and where it came from.
 */
public record HriRecord(
    List<HriHeader> headers, byte[] key, byte[] value, String topic, int partition, long offset) {

  /** The header that names a record's batch. */
  public static final String BATCH_ID_HEADER = "batchId";

  public HriRecord {
    headers = headers == null ? List.of() : List.copyOf(headers);
    Objects.requireNonNull(topic, "topic");
  }

  /** The batch id, or null when the record has no valid {@code batchId} header (see {@link BatchIdHeader}). */
  public String batchId() {
    return batchIdHeader().id();
  }

  /** The record's {@code batchId} header, checked. */
  public BatchIdHeader batchIdHeader() {
    return BatchIdHeader.of(headers);
  }

  /** The value as UTF-8 text, or null. */
  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HriRecord that
        && partition == that.partition
        && offset == that.offset
        && topic.equals(that.topic)
        && headers.equals(that.headers)
        && Arrays.equals(key, that.key)
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  /** Identifies the record by position only: its key and value may carry health data. */
  @Override
  public String toString() {
    return "HriRecord[" + topic + "-" + partition + "@" + offset + "]";
  }
}

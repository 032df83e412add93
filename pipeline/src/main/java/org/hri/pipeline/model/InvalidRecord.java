package org.hri.pipeline.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An invalid-record notice written to {@code *.invalid} (HRI {@code invalidRecord.json}): where the record was
 * and why it is invalid. It never carries the record's payload. {@code batchId} is null when the record had
 * no {@code batchId} header.
 */
@JsonPropertyOrder({"batchId", "topic", "partition", "offset", "failure"})
public record InvalidRecord(String batchId, String topic, int partition, long offset, String failure) {
  /** Longest failure text in UTF-8 bytes: a validator may describe a record at any length. */
  public static final int MAX_FAILURE_BYTES = 1024;

  private static final String CUT = "...";

  public InvalidRecord {
    failure = capped(failure);
  }

  public static InvalidRecord of(HriRecord record, String batchId, String failure) {
    return new InvalidRecord(batchId, record.topic(), record.partition(), record.offset(), failure);
  }

  /** {@code failure}, cut at a character boundary to at most {@link #MAX_FAILURE_BYTES} bytes, ending "..." if cut. */
  static String capped(String failure) {
    if (failure == null || failure.length() * 3 <= MAX_FAILURE_BYTES
        || failure.getBytes(StandardCharsets.UTF_8).length <= MAX_FAILURE_BYTES) {
      return failure;
    }
    int budget = MAX_FAILURE_BYTES - CUT.length();
    int end = 0;
    while (end < failure.length()) {
      int next = failure.offsetByCodePoints(end, 1);
      budget -= failure.substring(end, next).getBytes(StandardCharsets.UTF_8).length;
      if (budget < 0) {
        break;
      }
      end = next;
    }
    return failure.substring(0, end) + CUT;
  }

  public static InvalidRecord fromJson(byte[] json) throws IOException {
    return Json.mapper().readValue(json, InvalidRecord.class);
  }

  public byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

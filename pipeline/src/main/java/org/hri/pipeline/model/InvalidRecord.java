package org.hri.pipeline.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An invalid-record notice written to {@code *.invalid} (HRI {@code invalidRecord.json}): where the record was
 * and why it is invalid. It never carries the record's payload. {@code batchId} is null when the record had
 * no {@code batchId} header.
 */
@JsonPropertyOrder({"batchId", "topic", "partition", "offset", "failure"})
public record InvalidRecord(String batchId, String topic, int partition, long offset, String failure) {

  public static InvalidRecord of(HriRecord record, String batchId, String failure) {
    return new InvalidRecord(batchId, record.topic(), record.partition(), record.offset(), failure);
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

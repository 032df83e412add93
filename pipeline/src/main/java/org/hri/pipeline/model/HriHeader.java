package org.hri.pipeline.model;

import java.util.Arrays;
import java.util.Objects;

/** One Kafka record header: a UTF-8 key and raw value bytes (the value may be null). */
public record HriHeader(String key, byte[] value) {
  public HriHeader {
    Objects.requireNonNull(key, "header key");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HriHeader that && key.equals(that.key) && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  /** Names the header without its value, which may carry health data. */
  @Override
  public String toString() {
    return "HriHeader[" + key + "]";
  }
}

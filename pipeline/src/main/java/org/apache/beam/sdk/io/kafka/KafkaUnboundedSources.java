package org.apache.beam.sdk.io.kafka;

import org.apache.beam.sdk.io.UnboundedSource;

/**
 * KafkaIO's own {@link UnboundedSource} for a read, the one {@code KafkaIO.read()} applies through
 * {@code Read.from} when it does not use its splittable-DoFn read. {@code makeSource} is package-private, hence
 * this class in KafkaIO's package; the read must have its key and value coders set.
 */
public final class KafkaUnboundedSources {
  private KafkaUnboundedSources() {}

  public static <K, V> UnboundedSource<KafkaRecord<K, V>, KafkaCheckpointMark> of(KafkaIO.Read<K, V> read) {
    return read.makeSource();
  }
}

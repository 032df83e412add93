package org.hri.pipeline.kafka;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes elements to Kafka as raw-byte records built by a {@link ProducerRecords} function. */
public final class WriteToKafka<T> extends PTransform<PCollection<T>, PDone> {
  private final KafkaSettings settings;
  private final String topic;
  private final SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord;
  private final int exactlyOnceShards;

  private WriteToKafka(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord,
      int exactlyOnceShards) {
    this.settings = settings;
    this.topic = topic;
    this.toRecord = toRecord;
    this.exactlyOnceShards = exactlyOnceShards;
  }

  public static <T> WriteToKafka<T> of(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord) {
    return new WriteToKafka<>(settings, topic, toRecord, 0);
  }

  /**
   * Writes in Kafka transactions committed with the runner's checkpoints, with {@code shards} transactional
   * producers; consumers that read {@code read_committed} see every record exactly once. Zero shards keeps
   * the plain (at-least-once) producer.
   */
  public WriteToKafka<T> withExactlyOnce(int shards) {
    return new WriteToKafka<>(settings, topic, toRecord, shards);
  }

  /** Beam's transactional sink, with the headers it would drop carried in an envelope (see HeaderEnvelope). */
  private KafkaIO.WriteRecords<byte[], byte[]> exactlyOnce(KafkaIO.WriteRecords<byte[], byte[]> write) {
    return write
        .withEOS(exactlyOnceShards, "hri-" + topic)
        .withProducerFactoryFn(HeaderPreservingProducer::create);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    KafkaIO.WriteRecords<byte[], byte[]> write =
        KafkaIO.<byte[], byte[]>writeRecords()
            .withBootstrapServers(settings.brokers())
            .withTopic(topic)
            .withKeySerializer(ByteArraySerializer.class)
            .withValueSerializer(ByteArraySerializer.class)
            .withProducerConfigUpdates(settings.producer());
    SerializableFunction<T, ProducerRecord<byte[], byte[]>> plain = toRecord;
    SerializableFunction<T, ProducerRecord<byte[], byte[]>> records =
        exactlyOnceShards > 0 ? element -> HeaderEnvelope.wrap(plain.apply(element)) : plain;
    return input
        .apply("ToProducerRecords", MapElements.into(new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {}).via(records))
        .setCoder(
            ProducerRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())))
        .apply("WriteTopic", exactlyOnceShards > 0 ? exactlyOnce(write) : write);
  }
}

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

  private WriteToKafka(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord) {
    this.settings = settings;
    this.topic = topic;
    this.toRecord = toRecord;
  }

  public static <T> WriteToKafka<T> of(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord) {
    return new WriteToKafka<>(settings, topic, toRecord);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    return input
        .apply("ToProducerRecords", MapElements.into(new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {}).via(toRecord))
        .setCoder(
            ProducerRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())))
        .apply(
            "WriteTopic",
            KafkaIO.<byte[], byte[]>writeRecords()
                .withBootstrapServers(settings.brokers())
                .withTopic(topic)
                .withKeySerializer(ByteArraySerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(settings.producer()));
  }
}

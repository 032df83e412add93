package org.hri.pipeline.kafka;

import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes elements to Kafka as raw-byte records built by a {@link ProducerRecords} function. */
public final class WriteToKafka<T> extends PTransform<PCollection<T>, PDone> {
  // Beam's exactly-once writer commits one transaction per envelope: the bigger the envelope, the fewer
  // transactions (docs/performance.md). The producer still sends the records one by one, in its own batches.
  private static final int ENVELOPE_RECORDS = 10_000;
  private static final int ENVELOPE_BYTES = 8 * 1024 * 1024;

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

  /** Beam's transactional sink, fed records packed in envelopes (see HeaderEnvelope). */
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
    ProducerRecordCoder<byte[], byte[]> coder =
        ProducerRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of()));
    PCollection<ProducerRecord<byte[], byte[]>> records =
        input
            .apply(
                "ToProducerRecords",
                MapElements.into(new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {}).via(toRecord))
            .setCoder(coder);
    if (exactlyOnceShards == 0) {
      return records.apply("WriteTopic", write);
    }
    return records
        .apply("PackRecords", ParDo.of(new PackRecordsFn(ENVELOPE_RECORDS, ENVELOPE_BYTES)))
        .setCoder(coder)
        .apply("WriteTopic", exactlyOnce(write));
  }
}

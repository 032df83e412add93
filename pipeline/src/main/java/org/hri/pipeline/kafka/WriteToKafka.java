package org.hri.pipeline.kafka;

import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes elements to Kafka as raw-byte records built by a {@link ProducerRecords} function. The input is a list
 * of parts written as one: each part is made records (and, exactly once, chunks) on its own, so those steps
 * stay in the task that produced the part.
 */
public final class WriteToKafka<T> extends PTransform<PCollectionList<T>, PDone> {
  private final KafkaSettings settings;
  private final String topic;
  private final SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord;
  private final int exactlyOnceShards;
  private final WriterFaults faults;

  private WriteToKafka(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord,
      int exactlyOnceShards, WriterFaults faults) {
    this.settings = settings;
    this.topic = topic;
    this.toRecord = toRecord;
    this.exactlyOnceShards = exactlyOnceShards;
    this.faults = faults;
  }

  public static <T> WriteToKafka<T> of(
      KafkaSettings settings, String topic, SerializableFunction<T, ProducerRecord<byte[], byte[]>> toRecord) {
    return new WriteToKafka<>(settings, topic, toRecord, 0, WriterFaults.none());
  }

  /**
   * Writes in Kafka transactions committed with the runner's checkpoints, with {@code shards} transactional
   * producers; consumers that read {@code read_committed} see every record exactly once. Zero shards keeps
   * the plain (at-least-once) producer.
   */
  public WriteToKafka<T> withExactlyOnce(int shards) {
    return new WriteToKafka<>(settings, topic, toRecord, shards, faults);
  }

  /** Injects failures into the exactly-once writer's protocol: for the failover tests only. */
  public WriteToKafka<T> withWriterFaults(WriterFaults injected) {
    return new WriteToKafka<>(settings, topic, toRecord, exactlyOnceShards, injected);
  }

  @Override
  public PDone expand(PCollectionList<T> input) {
    KafkaIO.WriteRecords<byte[], byte[]> write =
        KafkaIO.<byte[], byte[]>writeRecords()
            .withBootstrapServers(settings.brokers())
            .withTopic(topic)
            .withKeySerializer(ByteArraySerializer.class)
            .withValueSerializer(ByteArraySerializer.class)
            .withProducerConfigUpdates(settings.producer());
    PCollectionList<ProducerRecord<byte[], byte[]>> records =
        EachPart.apply(
            input,
            "ToProducerRecords",
            MapElements.into(new TypeDescriptor<ProducerRecord<byte[], byte[]>>() {}).via(toRecord),
            new KafkaRecordCoder());
    if (exactlyOnceShards == 0) {
      PCollection<ProducerRecord<byte[], byte[]>> all =
          EachPart.flatten(records, "FlattenRecords", new KafkaRecordCoder());
      return all.apply("WriteTopic", write);
    }
    return records.apply(
        "WriteTopic",
        new WriteExactlyOnce(settings.transactionalProducer(), settings.admin(), topic, exactlyOnceShards, faults));
  }
}

package org.hri.bench.flinkcopy;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A Kafka record as the copy carries it: key, value and headers as bytes. A Flink POJO (public fields, no-arg
 * constructor), so Flink copies it with its own serializers rather than Kryo.
 */
public final class CopiedRecord {
  public byte[] key;
  public byte[] value;
  public String[] headerKeys;
  public byte[][] headerValues;

  public CopiedRecord() {}

  static CopiedRecord of(ConsumerRecord<byte[], byte[]> record) {
    Header[] headers = record.headers().toArray();
    CopiedRecord copied = new CopiedRecord();
    copied.key = record.key();
    copied.value = record.value();
    copied.headerKeys = new String[headers.length];
    copied.headerValues = new byte[headers.length][];
    for (int i = 0; i < headers.length; i++) {
      copied.headerKeys[i] = headers[i].key();
      copied.headerValues[i] = headers[i].value();
    }
    return copied;
  }

  ProducerRecord<byte[], byte[]> toProducerRecord(String topic) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < headerKeys.length; i++) {
      headers.add(headerKeys[i], headerValues[i]);
    }
    // No partition and no timestamp: the producer's partitioner chooses, the topic stamps its append time.
    return new ProducerRecord<>(topic, null, null, key, value, headers);
  }

  /** Reads the input topic's records whole. */
  static final class Deserializer implements KafkaRecordDeserializationSchema<CopiedRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CopiedRecord> out) {
      out.collect(of(record));
    }

    @Override
    public TypeInformation<CopiedRecord> getProducedType() {
      return TypeInformation.of(CopiedRecord.class);
    }
  }

  /** Writes each record to the output topic as it was read. */
  static final class Serializer implements KafkaRecordSerializationSchema<CopiedRecord> {
    private final String topic;

    Serializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(CopiedRecord record, KafkaSinkContext context, Long timestamp) {
      return record.toProducerRecord(topic);
    }
  }
}

package org.hri.bench.flinkcopy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The copy writes what it read: key, value and every header, in order; and Flink copies it without Kryo. */
class CopiedRecordTest {
  @Test
  void aRecordIsWrittenAsItWasRead() {
    ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>("in", 1, 42, bytes("k"), bytes("{\"a\":1}"));
    read.headers().add("batchId", bytes("b-1")).add("batchId", bytes("b-2")).add("empty", null);

    ProducerRecord<byte[], byte[]> written = roundTrip(read);

    assertThat(written.topic(), is("out"));
    assertThat(written.partition(), nullValue());
    assertThat(written.key(), is(bytes("k")));
    assertThat(written.value(), is(bytes("{\"a\":1}")));
    List<String> headers = new ArrayList<>();
    for (Header header : written.headers()) {
      headers.add(header.key() + "=" + (header.value() == null ? null : new String(header.value())));
    }
    assertThat(headers, is(List.of("batchId=b-1", "batchId=b-2", "empty=null")));
  }

  @Test
  void aRecordWithoutKeyOrHeadersToo() {
    ProducerRecord<byte[], byte[]> written = roundTrip(new ConsumerRecord<>("in", 0, 0, null, bytes("v")));
    assertThat(written.key(), nullValue());
    assertThat(written.value(), is(bytes("v")));
    assertThat(written.headers().toArray().length, is(0));
  }

  @Test
  void flinkSeesAPojo() {
    TypeInformation<CopiedRecord> type = new CopiedRecord.Deserializer().getProducedType();
    assertThat(type, instanceOf(PojoTypeInfo.class));
  }

  /** Read, copied by Flink's serializer as between chained operators, written. */
  private static ProducerRecord<byte[], byte[]> roundTrip(ConsumerRecord<byte[], byte[]> read) {
    List<CopiedRecord> out = new ArrayList<>();
    new CopiedRecord.Deserializer().deserialize(read, new Collector<>() {
      @Override
      public void collect(CopiedRecord record) {
        out.add(record);
      }

      @Override
      public void close() {}
    });
    assertThat(out.size(), is(1));
    TypeSerializer<CopiedRecord> serializer =
        new CopiedRecord.Deserializer().getProducedType().createSerializer(new SerializerConfigImpl());
    return new CopiedRecord.Serializer("out").serialize(serializer.copy(out.get(0)), null, null);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

package org.hri.pipeline.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A record to produce: topic, key, value and headers, any of the byte arrays null (a header without a value
 * is legal in Kafka, and Beam's {@code ProducerRecordCoder} cannot encode one). Partition and timestamp are
 * left to the producer, as {@link ProducerRecords} leaves them.
 */
final class KafkaRecordCoder extends CustomCoder<ProducerRecord<byte[], byte[]>> {
  private static final int NULL = -1;

  @Override
  public void encode(ProducerRecord<byte[], byte[]> record, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    write(out, record);
    out.flush();
  }

  @Override
  public ProducerRecord<byte[], byte[]> decode(InputStream inStream) throws IOException {
    return read(new DataInputStream(inStream));
  }

  static void write(DataOutputStream out, ProducerRecord<byte[], byte[]> record) throws IOException {
    out.writeUTF(record.topic());
    writeBytes(out, record.key());
    writeBytes(out, record.value());
    Header[] headers = record.headers().toArray();
    out.writeInt(headers.length);
    for (Header header : headers) {
      writeBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
      writeBytes(out, header.value());
    }
  }

  static ProducerRecord<byte[], byte[]> read(DataInputStream in) throws IOException {
    String topic = in.readUTF();
    byte[] key = readBytes(in);
    byte[] value = readBytes(in);
    int count = in.readInt();
    List<Header> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      headers.add(new RecordHeader(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in)));
    }
    return new ProducerRecord<>(topic, null, null, key, value, headers);
  }

  @Override
  public void verifyDeterministic() {}

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      out.writeInt(NULL);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}

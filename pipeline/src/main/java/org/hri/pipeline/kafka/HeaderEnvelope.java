package org.hri.pipeline.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Carries a record's headers through Beam's exactly-once Kafka sink, which rebuilds every record from its
 * key and value only and so drops headers (Beam 2.70 {@code KafkaExactlyOnceSink}). {@link #wrap} packs the
 * key and the headers into the key; {@link HeaderPreservingProducer} unpacks them just before the record is
 * sent, inside the sink's transaction.
 */
final class HeaderEnvelope {
  private static final int NULL = -1;

  private HeaderEnvelope() {}

  /** The record with its key and headers packed into the key, and no headers. */
  static ProducerRecord<byte[], byte[]> wrap(ProducerRecord<byte[], byte[]> record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Header[] headers = record.headers().toArray();
      out.writeInt(headers.length);
      for (Header header : headers) {
        writeBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, header.value());
      }
      writeBytes(out, record.key());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), bytes.toByteArray(), record.value());
  }

  /** The record as it was before {@link #wrap}. */
  static ProducerRecord<byte[], byte[]> unwrap(ProducerRecord<byte[], byte[]> wrapped) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(wrapped.key()))) {
      int count = in.readInt();
      List<Header> headers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        headers.add(new RecordHeader(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in)));
      }
      byte[] key = readBytes(in);
      return new ProducerRecord<>(
          wrapped.topic(), wrapped.partition(), wrapped.timestamp(), key, wrapped.value(), headers);
    } catch (IOException e) {
      throw new UncheckedIOException("Not a header envelope", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(NULL);
    } else {
      out.writeInt(value.length);
      out.write(value);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length == NULL ? null : in.readNBytes(length);
  }
}

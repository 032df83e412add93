package org.hri.pipeline.kafka;

import java.io.ByteArrayInputStream;
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
 * Carries records through Beam's exactly-once Kafka sink as one element. That sink rebuilds every record from
 * its key and value only, so it drops headers (Beam 2.70 {@code KafkaExactlyOnceSink}), and it commits one
 * Kafka transaction per element it receives, which on Flink is one per record — a few dozen records a second.
 * {@link #wrap} packs several whole records (keys, headers, values) into the key of one record;
 * {@link HeaderPreservingProducer} unpacks them just before sending, inside the sink's transaction.
 */
final class HeaderEnvelope {
  private static final int NULL = -1;

  private HeaderEnvelope() {}

  /** One record (to {@code records}' topic) whose key carries all of {@code records}. */
  static ProducerRecord<byte[], byte[]> wrap(List<ProducerRecord<byte[], byte[]>> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(records.size());
      for (ProducerRecord<byte[], byte[]> record : records) {
        Header[] headers = record.headers().toArray();
        out.writeInt(headers.length);
        for (Header header : headers) {
          writeBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
          writeBytes(out, header.value());
        }
        writeBytes(out, record.key());
        writeBytes(out, record.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ProducerRecord<>(records.get(0).topic(), null, null, bytes.toByteArray(), new byte[0]);
  }

  /** The records {@link #wrap} packed, in order. */
  static List<ProducerRecord<byte[], byte[]>> unwrap(ProducerRecord<byte[], byte[]> envelope) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope.key()))) {
      int count = in.readInt();
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
      for (int r = 0; r < count; r++) {
        int headerCount = in.readInt();
        List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
          headers.add(new RecordHeader(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in)));
        }
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        records.add(
            new ProducerRecord<>(envelope.topic(), envelope.partition(), envelope.timestamp(), key, value, headers));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("Not a record envelope", e);
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
    if (length == NULL) {
      return null;
    }
    byte[] bytes = new byte[length]; // readNBytes reads values over 8 KB in chunks and copies them again
    in.readFully(bytes);
    return bytes;
  }
}

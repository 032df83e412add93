package org.hri.pipeline.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records to write, serialized once, as one array of bytes. Between {@link ChunkRecordsFn} and the producer a
 * chunk crosses two shuffles and waits in a checkpoint: each of them then copies its bytes instead of encoding
 * and decoding every record (docs/performance.md). Immutable: the bytes are never handed out.
 */
final class RecordChunk {
  private final int size;
  private final byte[] bytes;

  private RecordChunk(int size, byte[] bytes) {
    this.size = size;
    this.bytes = bytes;
  }

  static RecordChunk of(List<ProducerRecord<byte[], byte[]>> records) {
    Builder builder = new Builder();
    records.forEach(builder::add);
    return builder.build();
  }

  /** How many records the chunk holds. */
  int size() {
    return size;
  }

  /** The records, decoded anew at each call. */
  List<ProducerRecord<byte[], byte[]>> decode() {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        records.add(KafkaRecordCoder.read(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("A record chunk does not decode", e);
    }
    return records;
  }

  /** Serializes records as they are added. */
  static final class Builder {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(buffer);
    private int size;

    void add(ProducerRecord<byte[], byte[]> record) {
      try {
        KafkaRecordCoder.write(out, record);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
      }
      size++;
    }

    int size() {
      return size;
    }

    /** The bytes the records take so far. */
    int bytes() {
      return buffer.size();
    }

    RecordChunk build() {
      return new RecordChunk(size, buffer.toByteArray());
    }
  }

  static final class Coder extends CustomCoder<RecordChunk> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RecordChunk chunk, OutputStream out) throws IOException {
      VarIntCoder.of().encode(chunk.size, out);
      ByteArrayCoder.of().encode(chunk.bytes, out);
    }

    @Override
    public RecordChunk decode(InputStream in) throws IOException {
      int size = VarIntCoder.of().decode(in);
      return new RecordChunk(size, ByteArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}

package org.hri.pipeline.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ChunkRecordsFnTest {
  private static ProducerRecord<byte[], byte[]> record(int n, int valueBytes) {
    byte[] value = new byte[valueBytes];
    byte[] name = Integer.toString(n).getBytes(UTF_8);
    System.arraycopy(name, 0, value, 0, name.length);
    return new ProducerRecord<>("t.out", null, null, name, value);
  }

  /** Chunks {@code records} in one bundle (the DirectRunner's Create) and checks the chunks with {@code check}. */
  private static void chunk(
      List<ProducerRecord<byte[], byte[]>> records, int maxRecords, long maxBytes, ChunksCheck check) {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<KV<Integer, RecordChunk>> chunks =
        pipeline
            .apply(Create.of(records).withCoder(new KafkaRecordCoder()))
            .apply(ParDo.of(new ChunkRecordsFn(3, maxRecords, maxBytes)))
            .setCoder(KvCoder.of(VarIntCoder.of(), RecordChunk.Coder.of()));
    PAssert.that(chunks).satisfies(all -> {
      List<KV<Integer, List<ProducerRecord<byte[], byte[]>>>> collected = new ArrayList<>();
      all.forEach(chunk -> collected.add(KV.of(chunk.getKey(), chunk.getValue().decode())));
      check.accept(collected);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  private interface ChunksCheck extends Serializable {
    void accept(List<KV<Integer, List<ProducerRecord<byte[], byte[]>>>> chunks);
  }

  private static List<String> keys(List<KV<Integer, List<ProducerRecord<byte[], byte[]>>>> chunks) {
    return chunks.stream()
        .flatMap(chunk -> chunk.getValue().stream())
        .map(record -> new String(record.key(), UTF_8))
        .toList();
  }

  @Test
  void everyRecordIsInExactlyOneChunkOfAtMostTheGivenCount() {
    List<ProducerRecord<byte[], byte[]>> records = IntStream.range(0, 100).mapToObj(n -> record(n, 10)).toList();

    chunk(records, 7, 1 << 20, chunks -> {
      assertThat(keys(chunks), containsInAnyOrder(IntStream.range(0, 100).mapToObj(Integer::toString).toArray()));
      assertThat(chunks.stream().map(c -> c.getValue().size()).toList(), everyItem(lessThanOrEqualTo(7)));
      assertThat(chunks.stream().map(KV::getKey).distinct().sorted().toList(), is(List.of(0, 1, 2)));
    });
  }

  @Test
  void aChunkEndsWithTheRecordThatReachesTheByteLimit() {
    List<ProducerRecord<byte[], byte[]>> records = IntStream.range(0, 10).mapToObj(n -> record(n, 1_000)).toList();

    chunk(records, 1_000, 2_500, chunks -> { // a record takes a little over 1,000 bytes serialized
      assertThat(keys(chunks).size(), is(10));
      assertThat(chunks.stream().map(c -> c.getValue().size()).toList(), everyItem(lessThanOrEqualTo(3)));
    });
  }
}

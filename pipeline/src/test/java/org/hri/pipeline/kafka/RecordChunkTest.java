package org.hri.pipeline.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class RecordChunkTest {
  @Test
  void recordsSurviveTheCoderInOrderWithNullKeysAndHeaderValues() throws Exception {
    RecordChunk chunk = RecordChunk.of(List.of(
        new ProducerRecord<>("t.out", null, null, null, "first".getBytes(UTF_8),
            List.of(new RecordHeader("batchId", "b-1".getBytes(UTF_8)), new RecordHeader("empty", null))),
        new ProducerRecord<>("t.out", null, null, "k".getBytes(UTF_8), null, List.<Header>of())));

    byte[] encoded = CoderUtils.encodeToByteArray(RecordChunk.Coder.of(), chunk);
    RecordChunk decoded = CoderUtils.decodeFromByteArray(RecordChunk.Coder.of(), encoded);
    List<ProducerRecord<byte[], byte[]>> records = decoded.decode();

    assertThat(decoded.size(), is(2));
    assertThat(records.size(), is(2));
    assertThat(records.get(0).topic(), is("t.out"));
    assertThat(records.get(0).key(), is(nullValue()));
    assertThat(new String(records.get(0).value(), UTF_8), is("first"));
    assertThat(new String(records.get(0).headers().lastHeader("batchId").value(), UTF_8), is("b-1"));
    assertThat(records.get(0).headers().lastHeader("empty").value(), is(nullValue()));
    assertThat(new String(records.get(1).key(), UTF_8), is("k"));
    assertThat(records.get(1).value(), is(nullValue()));
    assertThat(records.get(1).headers().toArray().length, is(0));
  }

  @Test
  void theBuilderCountsRecordsAndTheirSerializedBytes() {
    RecordChunk.Builder builder = new RecordChunk.Builder();
    builder.add(new ProducerRecord<>("t", null, null, null, new byte[100]));

    assertThat(builder.size(), is(1));
    // topic (2 + 1), key length (4), value length and bytes (4 + 100), header count (4)
    assertThat(builder.bytes(), is(115));
  }
}

package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayWithSize;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class HeaderEnvelopeTest {
  @Test
  void recordsWithTheirKeysHeadersAndValuesSurviveTheEnvelopeInOrder() {
    List<Header> headers =
        List.of(
            new RecordHeader("batchId", "b1".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("testUtf8あいうえおか", "中文".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("empty", null),
            new RecordHeader("batchId", "again".getBytes(StandardCharsets.UTF_8)));
    ProducerRecord<byte[], byte[]> first =
        new ProducerRecord<>("t.out", null, null, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, headers);
    ProducerRecord<byte[], byte[]> second = new ProducerRecord<>("t.out", null, (Long) null, (byte[]) null, (byte[]) null);

    ProducerRecord<byte[], byte[]> envelope = HeaderEnvelope.wrap(List.of(first, second));
    assertThat(envelope.headers().toArray(), arrayWithSize(0));
    List<ProducerRecord<byte[], byte[]>> unwrapped = HeaderEnvelope.unwrap(envelope);

    assertThat(unwrapped, hasSize(2));
    assertThat(unwrapped.get(0).topic(), is("t.out"));
    assertThat(unwrapped.get(0).key(), is("k".getBytes(StandardCharsets.UTF_8)));
    assertThat(unwrapped.get(0).value(), is(new byte[] {1, 2}));
    assertThat(unwrapped.get(0).headers().toArray(), is(headers.toArray(Header[]::new)));
    assertThat(unwrapped.get(1).key(), nullValue());
    assertThat(unwrapped.get(1).value(), nullValue());
    assertThat(unwrapped.get(1).headers().toArray(), arrayWithSize(0));
  }
}

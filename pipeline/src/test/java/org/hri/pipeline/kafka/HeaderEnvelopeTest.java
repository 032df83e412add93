package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayWithSize;
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
  void keyAndHeadersSurviveTheEnvelopeInOrder() {
    List<Header> headers =
        List.of(
            new RecordHeader("batchId", "b1".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("testUtf8あいうえおか", "中文".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("empty", null),
            new RecordHeader("batchId", "again".getBytes(StandardCharsets.UTF_8)));
    ProducerRecord<byte[], byte[]> original =
        new ProducerRecord<>("t.out", null, null, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}, headers);

    ProducerRecord<byte[], byte[]> wrapped = HeaderEnvelope.wrap(original);
    assertThat(wrapped.headers().toArray(), arrayWithSize(0));
    ProducerRecord<byte[], byte[]> unwrapped = HeaderEnvelope.unwrap(wrapped);

    assertThat(unwrapped.topic(), is("t.out"));
    assertThat(unwrapped.key(), is("k".getBytes(StandardCharsets.UTF_8)));
    assertThat(unwrapped.value(), is(new byte[] {1, 2}));
    assertThat(unwrapped.headers().toArray(), is(headers.toArray(Header[]::new)));
  }

  @Test
  void nullKeyAndNoHeadersSurviveToo() {
    ProducerRecord<byte[], byte[]> original = new ProducerRecord<>("t.invalid", null, null, null, new byte[] {7});
    ProducerRecord<byte[], byte[]> unwrapped = HeaderEnvelope.unwrap(HeaderEnvelope.wrap(original));
    assertThat(unwrapped.key(), nullValue());
    assertThat(unwrapped.headers().toArray(), arrayWithSize(0));
    assertThat(unwrapped.value(), is(new byte[] {7}));
  }
}

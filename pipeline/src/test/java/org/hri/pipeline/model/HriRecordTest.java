package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** The record model and its coder keep everything, including nulls and UTF-8. */
class HriRecordTest {
  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  private static HriRecord full() {
    return new HriRecord(
        List.of(
            new HriHeader("batchId", utf8("7902")),
            new HriHeader("中文", utf8("中文")),
            new HriHeader("empty", null),
            new HriHeader("passThru", utf8("testUtf8あいうえおか"))),
        utf8("中文 key"),
        utf8("{\"name\":\"中文\"}"),
        "ingest.22.da3.in",
        3,
        3_000_000_000L);
  }

  @Test
  void keepsEveryField() {
    HriRecord record = full();
    assertThat(record.headers().size(), is(4));
    assertThat(record.headers().get(1), is(new HriHeader("中文", utf8("中文"))));
    assertThat(record.key(), is(utf8("中文 key")));
    assertThat(record.value(), is(utf8("{\"name\":\"中文\"}")));
    assertThat(record.topic(), is("ingest.22.da3.in"));
    assertThat(record.partition(), is(3));
    assertThat(record.offset(), is(3_000_000_000L));
  }

  @Test
  void nullHeadersBecomeEmpty() {
    HriRecord record = new HriRecord(null, null, null, "t.in", 0, 0);
    assertThat(record.headers(), empty());
    assertThat(record.batchId(), nullValue());
  }

  @Test
  void nullKeyAndValueAreKept() {
    HriRecord record = new HriRecord(List.of(), null, null, "t.in", 0, 0);
    assertThat(record.key(), nullValue());
    assertThat(record.value(), nullValue());
    assertThat(record.valueAsString(), nullValue());
  }

  @Test
  void headersAreCopiedAndImmutable() {
    List<HriHeader> headers = new ArrayList<>(List.of(new HriHeader("a", utf8("1"))));
    HriRecord record = new HriRecord(headers, null, null, "t.in", 0, 0);
    headers.add(new HriHeader("b", utf8("2")));
    assertThat(record.headers(), contains(new HriHeader("a", utf8("1"))));
    assertThrows(UnsupportedOperationException.class, () -> record.headers().add(new HriHeader("c", null)));
  }

  @Test
  void topicIsRequired() {
    assertThrows(NullPointerException.class, () -> new HriRecord(List.of(), null, null, null, 0, 0));
  }

  @Test
  void batchIdIsTheBatchIdHeaderAsUtf8() {
    HriRecord record =
        new HriRecord(
            List.of(new HriHeader("other", utf8("x")), new HriHeader("batchId", utf8("批次-1"))),
            null, null, "t.in", 0, 0);
    assertThat(record.batchId(), is("批次-1"));
    assertThat(record.batchIdHeader(), is(new BatchIdHeader(BatchIdHeader.Kind.VALID, "批次-1")));
  }

  @Test
  void twoBatchIdHeadersMakeNoBatchId() {
    HriRecord record =
        new HriRecord(
            List.of(new HriHeader("batchId", utf8("批次-1")), new HriHeader("batchId", utf8("批次-1"))),
            null, null, "t.in", 0, 0);
    assertThat(record.batchId(), nullValue());
    assertThat(record.batchIdHeader().kind(), is(BatchIdHeader.Kind.INVALID));
  }

  @Test
  void batchIdHeaderKeyIsCaseSensitive() {
    HriRecord record =
        new HriRecord(
            List.of(new HriHeader("batchid", utf8("1")), new HriHeader("BatchId", utf8("2"))), null, null, "t.in", 0,
            0);
    assertThat(record.batchId(), nullValue());
  }

  @Test
  void batchIdHeaderWithNullValueGivesNull() {
    HriRecord record = new HriRecord(List.of(new HriHeader("batchId", null)), null, null, "t.in", 0, 0);
    assertThat(record.batchId(), nullValue());
  }

  @Test
  void valueAsStringIsUtf8() {
    assertThat(full().valueAsString(), is("{\"name\":\"中文\"}"));
  }

  @Test
  void equalityComparesByteContent() {
    HriRecord a = full();
    HriRecord b = full();
    assertThat(a, is(b));
    assertThat(a.hashCode(), is(b.hashCode()));
    HriRecord otherValue =
        new HriRecord(a.headers(), a.key(), utf8("{}"), a.topic(), a.partition(), a.offset());
    assertThat(a, not(is(otherValue)));
    HriRecord otherHeaders =
        new HriRecord(List.of(), a.key(), a.value(), a.topic(), a.partition(), a.offset());
    assertThat(a, not(is(otherHeaders)));
  }

  @Test
  void toStringShowsNoPayload() {
    String text = full().toString();
    assertThat(text, is("HriRecord[ingest.22.da3.in-3@3000000000]"));
    assertThat(new HriHeader("secret", utf8("value")).toString(), is("HriHeader[secret]"));
  }

  @Test
  void headerKeyIsRequiredAndEqualityComparesBytes() {
    assertThrows(NullPointerException.class, () -> new HriHeader(null, utf8("x")));
    assertThat(new HriHeader("k", utf8("v")), is(new HriHeader("k", utf8("v"))));
    assertThat(new HriHeader("k", utf8("v")).hashCode(), is(new HriHeader("k", utf8("v")).hashCode()));
    assertThat(new HriHeader("k", null), is(new HriHeader("k", null)));
    assertThat(new HriHeader("k", utf8("v")), not(is(new HriHeader("k", null))));
  }

  @Test
  void coderRoundTripsEverything() throws Exception {
    HriRecordCoder coder = HriRecordCoder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, full());
    CoderProperties.coderDecodeEncodeEqual(coder, new HriRecord(null, null, null, "t.in", 0, 0));
    CoderProperties.coderDecodeEncodeEqual(coder, new HriRecord(List.of(), new byte[0], new byte[0], "t.in", 0, 0));
    CoderProperties.coderDecodeEncodeEqual(
        coder, new HriRecord(List.of(new HriHeader("", new byte[0])), null, utf8("v"), "中文.in", -1, Long.MAX_VALUE));
    CoderProperties.coderDeterministic(coder, full(), full());
    CoderProperties.coderSerializable(coder);
  }

  @Test
  void coderKeepsHeaderOrderAndNullValues() throws Exception {
    HriRecord decoded = org.apache.beam.sdk.util.CoderUtils.clone(HriRecordCoder.of(), full());
    assertThat(
        decoded.headers().stream().map(HriHeader::key).toList(), contains("batchId", "中文", "empty", "passThru"));
    assertThat(decoded.headers().get(2).value(), nullValue());
    assertThat(Arrays.equals(decoded.headers().get(3).value(), utf8("testUtf8あいうえおか")), is(true));
    assertThat(decoded.batchId(), is("7902"));
    assertThat(decoded.toString(), not(containsString("中文")));
  }
}

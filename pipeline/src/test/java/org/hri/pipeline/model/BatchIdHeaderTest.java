package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import org.hri.pipeline.model.BatchIdHeader.Kind;
import org.junit.jupiter.api.Test;

/** Batch ids are checked before they are used as a state key, a URL segment or a log field. */
class BatchIdHeaderTest {
  private static BatchIdHeader of(byte[]... values) {
    List<HriHeader> headers = new ArrayList<>(List.of(new HriHeader("other", "x".getBytes(UTF_8))));
    for (byte[] value : values) {
      headers.add(new HriHeader("batchId", value));
    }
    return BatchIdHeader.of(headers);
  }

  private static BatchIdHeader of(String value) {
    return of(value.getBytes(UTF_8));
  }

  @Test
  void aPlainIdIsValid() {
    assertThat(of("batch-7902"), is(new BatchIdHeader(Kind.VALID, "batch-7902")));
    assertThat(of("批次 / ?#%"), is(new BatchIdHeader(Kind.VALID, "批次 / ?#%")));
  }

  @Test
  void noHeaderOrANullValueIsMissing() {
    assertThat(of(new byte[0][]).kind(), is(Kind.MISSING));
    assertThat(of((byte[]) null).kind(), is(Kind.MISSING));
  }

  @Test
  void theLengthLimitIsInUtf8Bytes() {
    assertThat(of("a".repeat(256)).kind(), is(Kind.VALID));
    assertThat(of("a".repeat(257)).kind(), is(Kind.INVALID));
    assertThat(of("中".repeat(85)).kind(), is(Kind.VALID)); // 255 bytes
    assertThat(of("中".repeat(86)).kind(), is(Kind.INVALID)); // 258 bytes in 86 characters
    assertThat(of("x".repeat(64 * 1024)), is(new BatchIdHeader(Kind.INVALID, null)));
  }

  @Test
  void emptyMalformedOrControlCharactersAreInvalid() {
    assertThat(of("").kind(), is(Kind.INVALID));
    assertThat(of(new byte[] {(byte) 0xC3, 0x28}).kind(), is(Kind.INVALID));
    assertThat(of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}).kind(), is(Kind.INVALID)); // a lone surrogate
    assertThat(of("a\nb").kind(), is(Kind.INVALID));
    assertThat(of("a\u0000").kind(), is(Kind.INVALID));
    assertThat(of("a\u007f").kind(), is(Kind.INVALID));
    assertThat(of("a\u0085").kind(), is(Kind.INVALID));
  }

  @Test
  void aRepeatedHeaderIsInvalidEvenWithTheSameValue() {
    assertThat(of("b1".getBytes(UTF_8), "b1".getBytes(UTF_8)).kind(), is(Kind.INVALID));
    assertThat(of("b1".getBytes(UTF_8), null).kind(), is(Kind.INVALID));
  }
}

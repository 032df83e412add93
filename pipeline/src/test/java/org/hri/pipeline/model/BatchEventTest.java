package org.hri.pipeline.model;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class BatchEventTest {
  private static BatchNotification notification(String id, BatchStatus status, Long expected) {
    return new BatchNotification(
        id, "n", "di", "ingest.t1.di.in", "claims", status, null, null, null, expected, null, null, null, null, null);
  }

  @Test
  void coderRoundTripsEveryKindOfEvent() throws Exception {
    SealedCoder<BatchEvent> coder = BatchEvent.CODER;
    HriRecord record =
        new HriRecord(
            List.of(new HriHeader("batchId", "中文".getBytes(StandardCharsets.UTF_8))), null,
            "{}".getBytes(StandardCharsets.UTF_8), "ingest.t1.di.in", 3, 42);
    CoderProperties.coderDecodeEncodeEqual(coder, new BatchEvent.Unresolved(record));
    CoderProperties.coderDecodeEncodeEqual(coder, new BatchEvent.Counted(new BatchCounts(0, 0)));
    CoderProperties.coderDecodeEncodeEqual(coder, new BatchEvent.Counted(new BatchCounts(3_000_000_000L, 7)));
    CoderProperties.coderDecodeEncodeEqual(
        coder, new BatchEvent.Notified(notification("b1", BatchStatus.SEND_COMPLETED, 10L)));
    CoderProperties.coderDecodeEncodeEqual(
        coder, new BatchEvent.Notified(notification("中文", BatchStatus.STARTED, null)));
    CoderProperties.coderSerializable(coder);
  }

  @Test
  void anUnknownTagIsACoderError() {
    assertThrows(
        CoderException.class, () -> BatchEvent.CODER.decode(new ByteArrayInputStream(new byte[] {9})));
  }

  @Test
  void nullIsNoEvent() {
    assertThrows(CoderException.class, () -> BatchEvent.CODER.encode(null, new java.io.ByteArrayOutputStream()));
  }

  @Test
  void anEventHasContent() {
    assertThrows(NullPointerException.class, () -> new BatchEvent.Unresolved(null));
    assertThrows(NullPointerException.class, () -> new BatchEvent.Counted(null));
    assertThrows(NullPointerException.class, () -> new BatchEvent.Notified(null));
  }
}

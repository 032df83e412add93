package org.hri.pipeline.tracking;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;

class EndOfStreamProbeTest {
  static BatchNotification n() {
    return new BatchNotification("b", "n", "i", "ingest.1.x.in", "t", BatchStatus.SEND_COMPLETED,
        OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), null, null, 1L, null, 5L, null, null, null);
  }

  void run(boolean advance) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    TestStream.Builder<KV<String, TrackerEvent>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), TrackerEvent.Coder.of()))
            .addElements(KV.of("b", TrackerEvent.of(n())), KV.of("b", TrackerEvent.of(BatchCounts.ofValid(1))));
    if (advance) {
      b = b.advanceProcessingTime(org.joda.time.Duration.standardMinutes(1));
    }
    PCollection<BatchNotification> out =
        p.apply(b.advanceWatermarkToInfinity()).apply(TrackBatches.withCompletionDelay(Duration.ofMinutes(5)));
    PAssert.that(out).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void noAdvance() {
    run(false);
  }

  @Test
  void smallAdvance() {
    run(true);
  }

  @Test
  void bigAdvanceMustFail() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    TestStream.Builder<KV<String, TrackerEvent>> b =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), TrackerEvent.Coder.of()))
            .addElements(KV.of("b", TrackerEvent.of(n())), KV.of("b", TrackerEvent.of(BatchCounts.ofValid(1))))
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(6));
    PCollection<BatchNotification> out =
        p.apply(b.advanceWatermarkToInfinity()).apply(TrackBatches.withCompletionDelay(Duration.ofMinutes(5)));
    PAssert.that(out).empty();
    p.run().waitUntilFinish();
  }
}

package org.hri.pipeline.tracking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.apache.beam.sdk.testing.CoderProperties;
import org.hri.pipeline.model.BatchCounts;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.junit.jupiter.api.Test;

class TrackerEventTest {
  @Test
  void countsEvent() {
    TrackerEvent event = TrackerEvent.of(new BatchCounts(3, 4));
    assertThat(event.counts(), is(new BatchCounts(3, 4)));
    assertThat(event.notification(), nullValue());
  }

  @Test
  void notificationEvent() {
    BatchNotification notification = BatchProgressTest.sendCompleted(10);
    TrackerEvent event = TrackerEvent.of(notification);
    assertThat(event.notification(), is(notification));
    assertThat(event.counts(), nullValue());
  }

  @Test
  void coderRoundTrips() throws Exception {
    TrackerEvent.Coder coder = TrackerEvent.Coder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, TrackerEvent.of(new BatchCounts(0, 0)));
    CoderProperties.coderDecodeEncodeEqual(coder, TrackerEvent.of(new BatchCounts(3_000_000_000L, 7)));
    CoderProperties.coderDecodeEncodeEqual(coder, TrackerEvent.of(BatchProgressTest.sendCompleted(10)));
    CoderProperties.coderDecodeEncodeEqual(
        coder, TrackerEvent.of(BatchProgressTest.notification("中文", BatchStatus.STARTED, null, -1)));
    CoderProperties.coderSerializable(coder);
  }
}

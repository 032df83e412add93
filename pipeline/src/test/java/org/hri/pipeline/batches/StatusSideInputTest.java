package org.hri.pipeline.batches;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.hri.pipeline.model.BatchStatus;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The side input's publisher on the DirectRunner, driven by a TestStream with processing-time advances: a burst
 * of notifications becomes one snapshot per publishing interval, not one per notification.
 */
@ExtendWith(TestPipelineExtension.class)
class StatusSideInputTest {
  private static final int BURST = 1_000;
  private static final org.joda.time.Duration AFTER_INTERVAL =
      StatusSideInput.PublishFn.PUBLISH_EVERY.plus(org.joda.time.Duration.millis(1));

  private static PCollection<PublishedStatuses> publish(
      TestPipeline p, TestStream<KV<String, PublisherInput>> updates) {
    return p.apply(updates)
        .apply(ParDo.of(new StatusSideInput.PublishFn(Duration.ofHours(1), Duration.ofDays(7))))
        .setCoder(PublishedStatuses.Coder.of());
  }

  private static KV<String, PublisherInput> update(String batchId, BatchStatus status) {
    return KV.of("batches", new PublisherInput.StatusUpdate(batchId, status));
  }

  private static TestStream.Builder<KV<String, PublisherInput>> stream() {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), PublisherInput.CODER));
  }

  @Test
  void publishesABurstOfNotificationsAsOneSnapshotPerInterval(TestPipeline p) {
    List<TimestampedValue<KV<String, PublisherInput>>> burst = new ArrayList<>();
    for (int b = 0; b < BURST; b++) {
      burst.add(TimestampedValue.of(update("batch-" + b, BatchStatus.STARTED), new Instant(0)));
    }
    TestStream<KV<String, PublisherInput>> updates =
        stream()
            .addElements(KV.of("batches", new PublisherInput.StartUp())) // published at once
            .addElements(burst.get(0), burst.subList(1, BURST).toArray(TimestampedValue[]::new))
            .advanceProcessingTime(AFTER_INTERVAL)
            .addElements(update("batch-0", BatchStatus.COMPLETED), update("batch-1", BatchStatus.STARTED))
            .advanceProcessingTime(AFTER_INTERVAL)
            .addElements(update("batch-2", BatchStatus.STARTED)) // repeated: changes nothing, nothing published
            .advanceProcessingTime(AFTER_INTERVAL)
            .advanceWatermarkToInfinity();

    PCollection<PublishedStatuses> snapshots = publish(p, updates);

    PAssert.that(snapshots).satisfies(published -> {
      List<PublishedStatuses> inOrder = new ArrayList<>();
      published.forEach(inOrder::add);
      inOrder.sort(Comparator.comparingLong(PublishedStatuses::version));
      assertThat(inOrder.stream().map(s -> s.statuses().size()).toList(), contains(0, BURST, BURST));
      assertThat(inOrder.get(1).statuses().values(), everyItem(is(BatchStatus.STARTED)));
      assertThat(inOrder.get(2).statuses(), hasEntry("batch-0", BatchStatus.COMPLETED));
      assertThat(inOrder.get(2).statuses(), hasEntry("batch-1", BatchStatus.STARTED));
      assertThat(inOrder.get(2).statuses(), aMapWithSize(BURST));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void aSteadyStreamOfNotificationsDoesNotPostponePublishing(TestPipeline p) {
    TestStream.Builder<KV<String, PublisherInput>> steady =
        stream();
    for (int b = 0; b < 10; b++) { // one notification every 100 ms for a second
      steady = steady.addElements(update("batch-" + b, BatchStatus.STARTED))
          .advanceProcessingTime(org.joda.time.Duration.millis(100));
    }
    TestStream<KV<String, PublisherInput>> updates =
        steady.advanceProcessingTime(AFTER_INTERVAL).advanceWatermarkToInfinity();

    PCollection<PublishedStatuses> snapshots = publish(p, updates);

    PAssert.that(snapshots).satisfies(published -> {
      List<Integer> sizes = new ArrayList<>();
      published.forEach(snapshot -> sizes.add(snapshot.statuses().size()));
      sizes.sort(null);
      // every 200 ms while notifications keep coming, then the last one with all ten
      assertThat(sizes.toString(), sizes.size(), is(both(greaterThanOrEqualTo(4)).and(lessThanOrEqualTo(6))));
      assertThat(sizes.get(sizes.size() - 1), is(10));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void inputCoderRoundTrips() throws Exception {
    var coder = PublisherInput.CODER;
    CoderProperties.coderDecodeEncodeEqual(coder, new PublisherInput.StartUp());
    CoderProperties.coderDecodeEncodeEqual(coder, new PublisherInput.StatusUpdate("中文", BatchStatus.TERMINATED));
  }
}

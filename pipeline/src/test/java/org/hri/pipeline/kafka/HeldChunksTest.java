package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hri.pipeline.durable.DurableBundles.Holder;
import org.hri.pipeline.kafka.HeldChunks.Held;
import org.junit.jupiter.api.Test;

class HeldChunksTest {
  private static final long RUN = 7;
  private static final Holder BUNDLE_1 = new Holder(1, 1);
  private static final Holder BUNDLE_2 = new Holder(1, 2);
  private static final Holder BUNDLE_3 = new Holder(1, 3);

  private static SequencedChunk chunk(long first, int size) {
    RecordChunk.Builder records = new RecordChunk.Builder();
    for (int i = 0; i < size; i++) {
      records.add(new ProducerRecord<>("t.out", new byte[] {(byte) i}));
    }
    return new SequencedChunk(RUN, first, records.build());
  }

  private static List<Long> slots(List<Held> held) {
    return held.stream().map(Held::slot).toList();
  }

  @Test
  void theDurableChunksComeInTheOrderTheyWereHeld() {
    HeldChunks held =
        HeldChunks.NONE.with(chunk(0, 3), BUNDLE_1).with(chunk(3, 2), BUNDLE_2).with(chunk(5, 4), BUNDLE_3);

    assertThat(held.durable(holder -> false), is(empty()));
    assertThat(slots(held.durable(holder -> holder.bundle() <= 2)), contains(0L, 1L));
    assertThat(slots(held.durable(holder -> holder.bundle() != 2)), contains(0L, 2L));
  }

  @Test
  void slotsAreNeverReusedAfterChunksLeave() {
    HeldChunks held = HeldChunks.NONE.with(chunk(0, 3), BUNDLE_1).with(chunk(3, 2), BUNDLE_1);

    HeldChunks after = held.without(List.of(0L)).with(chunk(5, 1), BUNDLE_2);

    assertThat(after.chunks(), contains(new Held(1, RUN, 3, 5, BUNDLE_1), new Held(2, RUN, 5, 6, BUNDLE_2)));
    assertThat(held.chunks().size(), is(2)); // unchanged: a state value is never changed in place
  }

  @Test
  void survivesTheCoder() throws Exception {
    HeldChunks held = HeldChunks.NONE.with(chunk(0, 3), new Holder(-7, 4)).with(chunk(3, 2), BUNDLE_3);

    byte[] encoded = CoderUtils.encodeToByteArray(HeldChunks.Coder.of(), held);

    assertThat(CoderUtils.decodeFromByteArray(HeldChunks.Coder.of(), encoded), is(held));
    assertThat(encoded.length, is(8 + 4 + 2 * 6 * 8));
  }
}

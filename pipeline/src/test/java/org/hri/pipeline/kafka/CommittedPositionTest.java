package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** A shard's position: what it says of each run, and how it is stored in a group's offset metadata. */
class CommittedPositionTest {
  private static final long RUN = 0x0123_4567_89ab_cdefL;
  private static final long OTHER = -2L;

  @Test
  void nothingCommittedCoversNothing() {
    assertThat(CommittedPosition.NONE.nextSequenceOf(RUN), is(0L));
    assertThat(CommittedPosition.fromOffset(null), is(CommittedPosition.NONE));
  }

  @Test
  void eachRunKeepsItsOwnNextNumberAndTheLatestComesFirst() {
    CommittedPosition position = CommittedPosition.NONE.with(RUN, 9).with(OTHER, 2).with(RUN, 4);

    assertThat(position.nextSequenceOf(RUN), is(10L)); // a lower number never moves a run back
    assertThat(position.nextSequenceOf(OTHER), is(3L));
    assertThat(position.toOffset(),
        is(new OffsetAndMetadata(10, "hri-writer 0123456789abcdef:10,fffffffffffffffe:3")));
  }

  @Test
  void theStoredFormRoundTrips() {
    CommittedPosition position = CommittedPosition.NONE.with(RUN, 41).with(OTHER, 0);
    assertThat(CommittedPosition.fromOffset(position.toOffset()), is(position));
  }

  @Test
  void onlyTheLatestRunsAreKept() {
    CommittedPosition position = CommittedPosition.NONE;
    for (long run = 1; run <= CommittedPosition.RUNS_KEPT + 1; run++) {
      position = position.with(run, 0);
    }
    assertThat(position.nextSequenceOf(1), is(0L));
    assertThat(position.nextSequenceOf(2), is(1L));
    assertThat(position.nextSequenceOf(CommittedPosition.RUNS_KEPT + 1), is(1L));
    assertThat(position.toOffset().metadata().length() < 4096, is(true)); // the broker's default limit
  }

  @Test
  void metadataThatIsNotOursIsNoPosition() {
    assertThat(CommittedPosition.fromOffset(new OffsetAndMetadata(7, "")), is(CommittedPosition.NONE));
    assertThat(CommittedPosition.fromOffset(new OffsetAndMetadata(7, "hri-writer run=0123")),
        is(CommittedPosition.NONE));
  }

  @Test
  void aStateBehindItsCommittedNumbersWasRestoredFromAnOlderSnapshot() {
    CommittedPosition position = CommittedPosition.NONE.with(RUN, 99);
    assertThat(position.isBeyond(RUN, 100), is(false)); // the latest checkpoint: state at or ahead
    assertThat(position.isBeyond(RUN, 120), is(false));
    assertThat(position.isBeyond(RUN, 60), is(true)); // an older savepoint
    assertThat(position.isBeyond(OTHER, 0), is(false));
  }
}

package org.hri.pipeline.kafka;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * How far one shard of the exactly-once writer got: the writer run and the next sequence number it has not
 * committed. Stored as the offset and metadata of the shard's consumer group, inside each transaction, so it
 * commits or aborts with the records it counts.
 *
 * <p>A run is a shard's sequence: it begins when the shard has no state (a new job) and lasts as long as its
 * state does, across restores. A position of another run says nothing about this one's records, so a new job
 * starts whatever an earlier job with the same topic left behind.
 */
record CommittedPosition(long run, long nextSequence) {
  /** Nothing committed: a shard that never wrote, or whose position belongs to no writer of ours. */
  static final CommittedPosition NONE = new CommittedPosition(0, 0);

  private static final Pattern METADATA = Pattern.compile("hri-writer run=([0-9a-f]{16})");

  /** The first sequence number of {@code recordRun} no committed transaction holds. */
  long nextSequenceOf(long recordRun) {
    return recordRun == run ? nextSequence : 0;
  }

  /** The position after committing {@code lastSequence} of {@code recordRun}. */
  static CommittedPosition after(long recordRun, long lastSequence) {
    return new CommittedPosition(recordRun, lastSequence + 1);
  }

  OffsetAndMetadata toOffset() {
    return new OffsetAndMetadata(nextSequence, String.format("hri-writer run=%016x", run));
  }

  /** The position a group's committed offset holds; {@link #NONE} when there is none or it is not ours. */
  static CommittedPosition fromOffset(OffsetAndMetadata offset) {
    if (offset == null) {
      return NONE;
    }
    Matcher matcher = METADATA.matcher(Objects.requireNonNullElse(offset.metadata(), ""));
    if (!matcher.matches()) {
      return NONE;
    }
    return new CommittedPosition(Long.parseUnsignedLong(matcher.group(1), 16), offset.offset());
  }
}

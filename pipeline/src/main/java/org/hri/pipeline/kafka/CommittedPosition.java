package org.hri.pipeline.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one shard of the exactly-once writer got: for each of its latest runs, the next sequence number no
 * committed transaction holds. Stored as the metadata of the shard's consumer group, inside each transaction,
 * so it commits or aborts with the records it counts.
 *
 * <p>A run is one numbering of a shard's records (see {@link NumberChunksFn}). A restore replays the
 * records of the run it restores, so the positions of the last {@link #RUNS_KEPT} runs are kept; a run this
 * position does not know has written nothing.
 */
final class CommittedPosition {
  static final int RUNS_KEPT = 16;
  static final CommittedPosition NONE = new CommittedPosition(Map.of());

  private static final String PREFIX = "hri-writer ";
  private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern RUN = Pattern.compile("([0-9a-f]{16}):([0-9]+)");

  /** Next sequence number by run, the latest run first. */
  private final Map<Long, Long> nextByRun;

  private CommittedPosition(Map<Long, Long> nextByRun) {
    this.nextByRun = nextByRun;
  }

  /** The first sequence number of {@code run} that no committed transaction holds. */
  long nextSequenceOf(long run) {
    return nextByRun.getOrDefault(run, 0L);
  }

  /**
   * True when transactions committed numbers of {@code run} from {@code next} on. A restore from the latest
   * checkpoint never sees that: numbers are committed only once a checkpoint holding them completed.
   */
  boolean isBeyond(long run, long next) {
    return nextSequenceOf(run) > next;
  }

  /** The position once {@code sequence} of {@code run} is written too; {@code run} becomes the latest. */
  CommittedPosition with(long run, long sequence) {
    Map<Long, Long> next = new LinkedHashMap<>();
    next.put(run, Math.max(sequence + 1, nextSequenceOf(run)));
    for (Map.Entry<Long, Long> older : nextByRun.entrySet()) {
      if (next.size() < RUNS_KEPT) {
        next.putIfAbsent(older.getKey(), older.getValue());
      }
    }
    return new CommittedPosition(Collections.unmodifiableMap(next));
  }

  OffsetAndMetadata toOffset() {
    StringJoiner runs = new StringJoiner(",", PREFIX, "");
    nextByRun.forEach((run, next) -> runs.add(String.format("%016x:%d", run, next)));
    long latest = nextByRun.values().stream().findFirst().orElse(0L);
    return new OffsetAndMetadata(latest, runs.toString());
  }

  /**
   * The shard's position, as the consumer group {@code shardId} holds it. The broker leaves a partition out
   * of its answer while a transaction's offsets for it are pending (they are not, once
   * {@code initTransactions} returned, but nothing else may be trusted), so the read is repeated until the
   * answer holds it.
   */
  static CommittedPosition read(Admin admin, String topic, String shardId)
      throws InterruptedException, ExecutionException {
    TopicPartition positionKey = key(topic);
    long deadline = System.nanoTime() + POSITION_TIMEOUT.toNanos();
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(
                  Map.of(shardId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(positionKey))),
                  new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata(shardId)
              .get();
      if (offsets.containsKey(positionKey)) { // null: nothing committed
        return fromOffset(offsets.get(positionKey));
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException("Cannot read the position of " + shardId + " (consumer group " + shardId + ", topic "
            + topic + "): unstable or refused for " + POSITION_TIMEOUT + "; the job needs Read on both");
      }
      Thread.sleep(100);
    }
  }

  /** Where a shard's position is kept: partition 0 of the output topic, in the shard's consumer group. */
  static TopicPartition key(String topic) {
    return new TopicPartition(topic, 0);
  }

  /** The position a group's committed offset holds; {@link #NONE} when there is none or it is not ours. */
  static CommittedPosition fromOffset(OffsetAndMetadata offset) {
    String metadata = offset == null ? "" : Objects.requireNonNullElse(offset.metadata(), "");
    if (!metadata.startsWith(PREFIX)) {
      return NONE;
    }
    Map<Long, Long> nextByRun = new LinkedHashMap<>();
    for (String run : metadata.substring(PREFIX.length()).split(",")) {
      Matcher matcher = RUN.matcher(run);
      if (!matcher.matches()) {
        return NONE;
      }
      nextByRun.put(Long.parseUnsignedLong(matcher.group(1), 16), Long.parseLong(matcher.group(2)));
    }
    return new CommittedPosition(Collections.unmodifiableMap(nextByRun));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CommittedPosition position && position.nextByRun.equals(nextByRun);
  }

  @Override
  public int hashCode() {
    return nextByRun.hashCode();
  }

  @Override
  public String toString() {
    return toOffset().metadata();
  }
}

package org.hri.pipeline.kafka;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers each shard's records 0, 1, 2, … within a run, a chunk at a time. The numbers live in state, so after a restore the
 * records the writer sees again carry the numbers they had before, and new records get new ones.
 *
 * <p>A run begins when a shard has no state (a new job), and again when a restored shard finds that its
 * writer committed numbers beyond those its state has given out: the job was restored from a snapshot older
 * than the latest one (an operator's rollback), and going on would give committed numbers to other records.
 * The records after that snapshot are then written again, as Flink's own Kafka sink would; none is lost.
 */
final class NumberChunksFn extends DoFn<KV<Integer, RecordChunk>, KV<Integer, SequencedChunk>> {
  private static final Logger LOG = LoggerFactory.getLogger(NumberChunksFn.class);
  private static final SecureRandom RUNS = new SecureRandom();

  private final HashMap<String, Object> adminConfig;
  private final String topic;
  private final String shardPrefix;

  /** The shard's run and its next sequence number. */
  @StateId("position")
  private final StateSpec<ValueState<KV<Long, Long>>> positionSpec =
      StateSpecs.value(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

  /** Shards whose run this instance has checked against the committed position since it started. */
  private transient Set<Integer> checked;

  NumberChunksFn(Map<String, Object> adminConfig, String topic, String shardPrefix) {
    this.adminConfig = new HashMap<>(adminConfig);
    this.topic = topic;
    this.shardPrefix = shardPrefix;
  }

  @Setup
  public void setup() {
    checked = new HashSet<>();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, RecordChunk> element,
      @StateId("position") ValueState<KV<Long, Long>> position,
      OutputReceiver<KV<Integer, SequencedChunk>> out) {
    int shard = element.getKey();
    KV<Long, Long> current = position.read();
    boolean firstSinceStart = checked.add(shard);
    if (current == null || (firstSinceStart && committedBeyond(shard, current))) {
      current = KV.of(RUNS.nextLong(), 0L);
    }
    SequencedChunk chunk = new SequencedChunk(current.getKey(), current.getValue(), element.getValue());
    position.write(KV.of(chunk.run(), chunk.end()));
    out.output(KV.of(shard, chunk));
  }

  /** True when the writer committed numbers of this run that the state has not given out yet. */
  private boolean committedBeyond(int shard, KV<Long, Long> state) {
    String shardId = WriteTransactionsFn.shardId(shardPrefix, shard);
    try (Admin admin = Admin.create(adminConfig)) {
      CommittedPosition committed = CommittedPosition.read(admin, topic, shardId);
      if (!committed.isBeyond(state.getKey(), state.getValue())) {
        return false;
      }
      LOG.warn(
          "Writer shard {} committed up to {} but was restored with {}: restored from an older snapshot; a new"
              + " run begins, and records after that snapshot may be written again",
          shardId, committed.nextSequenceOf(state.getKey()), state.getValue());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while reading the position of " + shardId, e);
    } catch (ExecutionException e) {
      throw new KafkaException("Cannot read the position of " + shardId, e);
    }
  }
}

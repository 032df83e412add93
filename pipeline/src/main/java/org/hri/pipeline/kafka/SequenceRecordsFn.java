package org.hri.pipeline.kafka;

import java.security.SecureRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Numbers each shard's records 0, 1, 2, … within a run. The numbers live in state, so after a restore the
 * records the writer sees again carry the numbers they had before, and new records get new ones.
 */
final class SequenceRecordsFn
    extends DoFn<KV<Integer, ProducerRecord<byte[], byte[]>>, KV<Integer, SequencedRecord>> {
  private static final SecureRandom RUNS = new SecureRandom();

  /** The shard's run and its next sequence number. */
  @StateId("position")
  private final StateSpec<ValueState<KV<Long, Long>>> positionSpec =
      StateSpecs.value(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));

  @ProcessElement
  public void process(
      @Element KV<Integer, ProducerRecord<byte[], byte[]>> element,
      @StateId("position") ValueState<KV<Long, Long>> position,
      OutputReceiver<KV<Integer, SequencedRecord>> out) {
    KV<Long, Long> current = position.read();
    if (current == null) {
      current = KV.of(newRun(), 0L);
    }
    long sequence = current.getValue();
    position.write(KV.of(current.getKey(), sequence + 1));
    out.output(KV.of(element.getKey(), new SequencedRecord(current.getKey(), sequence, element.getValue())));
  }

  /** A random run, never {@link CommittedPosition#NONE}'s. */
  private static long newRun() {
    long run;
    do {
      run = RUNS.nextLong();
    } while (run == CommittedPosition.NONE.run());
    return run;
  }
}

package org.hri.pipeline.tracking;

import java.time.Duration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchEvent;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.tracking.BatchProgress.Decision;

/**
 * Keyed by batch id: keeps {@link BatchProgress} in state and acts on its decisions with timers. Takes
 * {@link BatchEvent.Counted} and {@link BatchEvent.Notified} events.
 */
final class TrackBatchesFn extends DoFn<KV<String, BatchEvent>, BatchNotification> {
  private static final Counter COMPLETED = Metrics.counter("hri", "batch-verdicts-completed");
  private static final Counter FAILED = Metrics.counter("hri", "batch-verdicts-failed");

  private static final String PROGRESS = "progress";
  private static final String COMPLETION = "completion";
  private static final String EXPIRE = "expire";

  @StateId(PROGRESS)
  private final StateSpec<ValueState<BatchProgress>> progressSpec = StateSpecs.value(new BatchProgress.Coder());

  @TimerId(COMPLETION)
  private final TimerSpec completionSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  // State in the global window never expires by itself.
  @TimerId(EXPIRE)
  private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  private final org.joda.time.Duration completionDelay;
  private final org.joda.time.Duration stateTtl;

  TrackBatchesFn(Duration completionDelay, Duration stateTtl) {
    this.completionDelay = org.joda.time.Duration.millis(completionDelay.toMillis());
    this.stateTtl = org.joda.time.Duration.millis(stateTtl.toMillis());
  }

  @ProcessElement
  public void process(
      @Element KV<String, BatchEvent> element,
      @StateId(PROGRESS) ValueState<BatchProgress> state,
      @TimerId(COMPLETION) Timer completion,
      @TimerId(EXPIRE) Timer expire,
      OutputReceiver<BatchNotification> out) {
    BatchProgress progress = state.read();
    if (progress == null) {
      progress = BatchProgress.EMPTY;
    }
    Decision decision = decide(progress, element.getValue());
    write(state, progress, decision);
    act(decision, completion, out);
    expire.offset(stateTtl).setRelative();
  }

  private static Decision decide(BatchProgress progress, BatchEvent event) {
    if (event instanceof BatchEvent.Counted counted) {
      return progress.add(counted.counts());
    }
    if (event instanceof BatchEvent.Notified notified) {
      return progress.update(notified.notification());
    }
    throw new IllegalArgumentException(
        "The tracker takes counts and notifications, not " + event.getClass().getSimpleName());
  }

  @OnTimer(COMPLETION)
  public void onCompletion(
      @StateId(PROGRESS) ValueState<BatchProgress> state,
      @TimerId(COMPLETION) Timer completion,
      OutputReceiver<BatchNotification> out) {
    BatchProgress progress = state.read();
    if (progress == null) {
      return; // expired meanwhile
    }
    Decision decision = progress.completionDue();
    write(state, progress, decision);
    act(decision, completion, out);
  }

  @OnTimer(EXPIRE)
  public void onExpire(@StateId(PROGRESS) ValueState<BatchProgress> state, @TimerId(COMPLETION) Timer completion) {
    state.clear();
    completion.clear();
  }

  /**
   * Writes the decision's next progress, a new value: the one read from state is never changed, as Flink's heap
   * state backend may be serializing it in an asynchronous snapshot.
   */
  private static void write(ValueState<BatchProgress> state, BatchProgress read, Decision decision) {
    if (decision.next() != read) {
      state.write(decision.next());
    }
  }

  private void act(Decision decision, Timer completion, OutputReceiver<BatchNotification> out) {
    switch (decision.action()) {
      case NONE -> {}
      case ARM_COMPLETION_TIMER -> completion.offset(completionDelay).setRelative();
      case EMIT -> {
        completion.clear();
        (decision.verdict().status() == BatchStatus.COMPLETED ? COMPLETED : FAILED).inc();
        out.output(decision.verdict());
      }
    }
  }
}

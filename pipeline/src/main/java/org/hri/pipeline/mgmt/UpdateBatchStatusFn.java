package org.hri.pipeline.mgmt;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies verdicts, keyed by batch id, with the Management API, retrying 5xx answers and transport errors on
 * a processing-time timer instead of sleeping, so a 24-hour outage holds no bundle open.
 *
 * <p>Per batch it keeps at most one pending verdict with its failed attempts and the backoff waited so far.
 * 409 counts as done (the call is idempotent per batch id and target status, and a replayed bundle repeats
 * it). An answer that concerns only this batch (a 4xx but 401, 403, 408, 429) gives its verdict up at once;
 * any other failure is retried, honouring {@code Retry-After}, until the retry policy gives up. Either way
 * the verdict is counted and becomes a dead letter, and the job goes on: failing it would only repeat the
 * call on restart.
 */
final class UpdateBatchStatusFn extends DoFn<KV<String, BatchNotification>, BatchNotification> {
  private static final Logger LOG = LoggerFactory.getLogger(UpdateBatchStatusFn.class);

  static final String METRICS_NAMESPACE = "hri";

  private static final String PENDING = "pending";
  private static final String FAILED_ATTEMPTS = "failedAttempts";
  private static final String WAITED_MILLIS = "waitedMillis";
  private static final String RETRY = "retry";
  private static final String END_OF_INPUT = "endOfInput";

  /** Creates the client in {@code @Setup}; tests swap it to inject an environment. */
  interface ClientFactory extends Serializable {
    ManagementApiClient create(ManagementApiConfig config) throws IOException;
  }

  private final Counter calls = Metrics.counter(METRICS_NAMESPACE, "mgmt-api-calls");
  private final Counter retries = Metrics.counter(METRICS_NAMESPACE, "mgmt-api-retries");
  private final Counter conflicts = Metrics.counter(METRICS_NAMESPACE, "mgmt-api-conflicts");
  private final Counter completed = Metrics.counter(METRICS_NAMESPACE, "batches-completed");
  private final Counter failed = Metrics.counter(METRICS_NAMESPACE, "batches-failed");
  private final Counter rejected = Metrics.counter(METRICS_NAMESPACE, "verdicts-rejected");
  private final Counter givenUp = Metrics.counter(METRICS_NAMESPACE, "verdicts-given-up");
  // From the verdict (its endDate, set by the tracker) to the API's acceptance: retries and outages show here.
  // A distribution for runners that show one (Dataflow), and cumulative buckets for Prometheus, which takes
  // only numeric gauges and counters from Flink.
  private final Distribution delivery = Metrics.distribution(METRICS_NAMESPACE, "verdict-delivery-ms");
  private final DeliveryBuckets deliveryBuckets = new DeliveryBuckets(METRICS_NAMESPACE);

  @StateId(PENDING)
  private final StateSpec<ValueState<BatchNotification>> pendingSpec = StateSpecs.value(BatchNotificationCoder.of());

  @StateId(FAILED_ATTEMPTS)
  private final StateSpec<ValueState<Integer>> failedAttemptsSpec = StateSpecs.value(VarIntCoder.of());

  @StateId(WAITED_MILLIS)
  private final StateSpec<ValueState<Long>> waitedMillisSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId(RETRY)
  private final TimerSpec retrySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  /** Fires when the input ends (bounded input, drain), after which processing-time timers never fire. */
  @TimerId(END_OF_INPUT)
  private final TimerSpec endOfInputSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  private final ManagementApiConfig config;
  private final RetryPolicy retryPolicy;
  private final ClientFactory clientFactory;

  private transient ManagementApiClient client;

  UpdateBatchStatusFn(ManagementApiConfig config, RetryPolicy retryPolicy, ClientFactory clientFactory) {
    this.config = config;
    this.retryPolicy = retryPolicy;
    this.clientFactory = clientFactory;
  }

  @Setup
  public void setup() {
    try {
      client = clientFactory.create(config);
    } catch (IOException | RuntimeException e) {
      // A bad trust store cannot heal by retrying: fail the job.
      throw new IllegalStateException("Cannot create the HRI Management API client: " + e, e);
    }
  }

  // Its input is durable already (UpdateBatchStatus holds verdicts until then).
  @ProcessElement
  public void processElement(
      @Element KV<String, BatchNotification> element,
      @StateId(PENDING) ValueState<BatchNotification> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waitedMillis,
      @TimerId(RETRY) Timer retry,
      @TimerId(END_OF_INPUT) Timer endOfInput,
      MultiOutputReceiver out) {
    BatchNotification verdict = element.getValue();
    checkStatus(verdict);
    BatchNotification waiting = pending.read();
    if (waiting != null) {
      if (waiting.status() != verdict.status()) {
        // Only the latest verdict matters; it goes out when the pending retry fires.
        LOG.warn("Batch {}: verdict {} replaces the pending {}", verdict.id(), verdict.status(), waiting.status());
        pending.write(verdict);
      }
      return; // the same verdict again: the pending retry covers it
    }
    attempt(verdict, 0, Duration.ZERO, pending, failedAttempts, waitedMillis, retry, endOfInput, out);
  }

  @OnTimer(RETRY)
  public void onRetry(
      @StateId(PENDING) ValueState<BatchNotification> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waitedMillis,
      @TimerId(RETRY) Timer retry,
      @TimerId(END_OF_INPUT) Timer endOfInput,
      MultiOutputReceiver out) {
    BatchNotification verdict = pending.read();
    if (verdict == null) {
      return;
    }
    retries.inc();
    int failedSoFar = orZero(failedAttempts.read());
    Duration waited = Duration.ofMillis(orZero(waitedMillis.read()));
    attempt(verdict, failedSoFar, waited, pending, failedAttempts, waitedMillis, retry, endOfInput, out);
  }

  /**
   * The input ended with a retry pending: pending processing-time timers will not fire, so make one last
   * try rather than drop the verdict silently.
   */
  @OnTimer(END_OF_INPUT)
  public void onEndOfInput(
      @StateId(PENDING) ValueState<BatchNotification> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waitedMillis,
      MultiOutputReceiver out) {
    BatchNotification verdict = pending.read();
    if (verdict == null) {
      return;
    }
    IOException failure = tryApply(verdict);
    pending.clear();
    failedAttempts.clear();
    waitedMillis.clear();
    if (failure == null) {
      out.get(UpdateBatchStatus.APPLIED).output(verdict);
    } else {
      out.get(UpdateBatchStatus.NOT_APPLIED).output(DeadLetter.verdict(DeadLetter.Kind.VERDICT_UNSENT, verdict,
          "The input ended before the HRI Management API accepted the verdict (" + failure.getMessage() + ")"));
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private void attempt(
      BatchNotification verdict,
      int failedSoFar,
      Duration waitedSoFar,
      ValueState<BatchNotification> pending,
      ValueState<Integer> failedAttempts,
      ValueState<Long> waitedMillis,
      Timer retry,
      Timer endOfInput,
      MultiOutputReceiver out) {
    IOException failure = tryApply(verdict);
    if (failure instanceof ManagementApiException answer && answer.concernsBatch()) {
      rejected.inc();
      out.get(UpdateBatchStatus.NOT_APPLIED).output(DeadLetter.verdict(DeadLetter.Kind.VERDICT_REJECTED, verdict,
          "The HRI Management API rejected the verdict: HTTP " + answer.statusCode() + " (" + answer.getMessage()
              + ")"));
    } else if (failure != null) {
      Optional<Duration> backoff = retryPolicy.nextBackoff(failedSoFar + 1, waitedSoFar, failure);
      if (backoff.isPresent()) {
        // The message is an ErrorDetail description or a transport error: no payload.
        LOG.warn("Call to HRI Management API for batch {} failed ({}); backing off {} milliseconds", verdict.id(),
            failure.getMessage(), backoff.get().toMillis());
        pending.write(verdict);
        failedAttempts.write(failedSoFar + 1);
        waitedMillis.write(waitedSoFar.plus(backoff.get()).toMillis());
        retry.offset(org.joda.time.Duration.millis(backoff.get().toMillis())).setRelative();
        endOfInput.set(GlobalWindow.INSTANCE.maxTimestamp());
        return;
      }
      givenUp.inc();
      out.get(UpdateBatchStatus.NOT_APPLIED).output(DeadLetter.verdict(DeadLetter.Kind.VERDICT_GIVEN_UP, verdict,
          retryPolicy.giveUpMessage() + " (" + failure.getMessage() + ")"));
    } else {
      out.get(UpdateBatchStatus.APPLIED).output(verdict);
    }
    pending.clear();
    failedAttempts.clear();
    waitedMillis.clear();
    retry.clear();
  }

  /**
   * Calls the API once. Returns null when the verdict is applied or already was (409), else the failure: one
   * that {@linkplain ManagementApiException#concernsBatch concerns the batch} is given up, any other retried.
   */
  private IOException tryApply(BatchNotification verdict) {
    calls.inc();
    try {
      call(verdict);
      ApiHealth.succeeded();
      (verdict.status() == BatchStatus.COMPLETED ? completed : failed).inc();
      if (verdict.endDate() != null) {
        long millis = Math.max(0, System.currentTimeMillis() - verdict.endDate().toInstant().toEpochMilli());
        delivery.update(millis);
        deliveryBuckets.add(millis);
      }
      return null;
    } catch (ManagementApiException e) {
      if (e.statusCode() == 409) {
        ApiHealth.succeeded();
        LOG.warn("Batch {} is already in the desired state ({}): 409 from the HRI Management API", verdict.id(),
            verdict.status());
        conflicts.inc();
        return null;
      }
      if (!e.concernsBatch()) {
        ApiHealth.failed();
      }
      return e;
    } catch (IOException e) {
      ApiHealth.failed();
      return e;
    }
  }

  private void call(BatchNotification verdict) throws IOException {
    // The tracker always sets both counts on a verdict; 0 keeps a malformed one from an NPE.
    long actual = orZero(verdict.actualRecordCount());
    long invalid = orZero(verdict.invalidRecordCount());
    if (verdict.status() == BatchStatus.COMPLETED) {
      client.processingComplete(verdict.id(), actual, invalid);
    } else {
      client.fail(verdict.id(), actual, invalid, verdict.failureMessage());
    }
  }

  private static void checkStatus(BatchNotification verdict) {
    if (verdict.status() != BatchStatus.COMPLETED && verdict.status() != BatchStatus.FAILED) {
      throw new IllegalStateException(
          "Received unexpected status: '" + verdict.status().name() + "' for batch: '" + verdict.id() + "'");
    }
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0L : value;
  }
}

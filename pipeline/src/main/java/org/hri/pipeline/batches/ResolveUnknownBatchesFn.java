package org.hri.pipeline.batches;

import java.time.Duration;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.mgmt.ManagementApiClient;
import org.hri.pipeline.mgmt.ManagementApiException;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by batch id. Remembers the batch's latest status (from notifications or a lookup) and holds records
 * until there is one. A lookup that fails with a server or I/O error is retried from a processing-time timer,
 * so the runner is never blocked for a backoff.
 */
final class ResolveUnknownBatchesFn extends DoFn<KV<String, ResolverInput>, ResolvedRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ResolveUnknownBatchesFn.class);
  private static final Counter LOOKUPS = Metrics.counter("hri", "batch-lookups");
  private static final Counter LOOKUP_RETRIES = Metrics.counter("hri", "batch-lookup-retries");
  private static final Counter RECORDS_HELD = Metrics.counter("hri", "records-held-for-batch-status");

  private static final String STATUS = "status";
  private static final String PENDING = "pending";
  private static final String FAILED_ATTEMPTS = "failedAttempts";
  private static final String WAITED_MILLIS = "waitedMillis";
  private static final String RETRY = "retry";
  private static final String EXPIRE = "expire";

  @StateId(STATUS)
  private final StateSpec<ValueState<BatchStatus>> statusSpec = StateSpecs.value(BatchStatusCoder.of());

  @StateId(PENDING)
  private final StateSpec<BagState<HriRecord>> pendingSpec = StateSpecs.bag(HriRecordCoder.of());

  @StateId(FAILED_ATTEMPTS)
  private final StateSpec<ValueState<Integer>> failedAttemptsSpec = StateSpecs.value();

  @StateId(WAITED_MILLIS)
  private final StateSpec<ValueState<Long>> waitedSpec = StateSpecs.value();

  @TimerId(RETRY)
  private final TimerSpec retrySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  @TimerId(EXPIRE)
  private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  private final UnknownBatchPolicy policy;
  private transient ManagementApiClient client;

  ResolveUnknownBatchesFn(UnknownBatchPolicy policy) {
    this.policy = policy;
  }

  @Setup
  public void setup() throws Exception {
    if (policy.usesLookup()) {
      client = ManagementApiClient.create(policy.api());
    }
  }

  @Teardown
  public void teardown() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  @ProcessElement
  public void process(
      @Element KV<String, ResolverInput> element,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry,
      @TimerId(EXPIRE) Timer expire,
      OutputReceiver<ResolvedRecord> out) {
    expire.offset(toJoda(policy.stateTtl())).setRelative();
    ResolverInput input = element.getValue();
    if (input.status() != null) {
      BatchStatus known = status.read();
      if (input.status().supersedes(known)) {
        status.write(input.status());
      }
      release(pending, status.read(), out);
      stopRetrying(failedAttempts, waited, retry);
      return;
    }
    BatchStatus known = status.read();
    if (known != null) {
      out.output(new ResolvedRecord(input.record(), known));
      return;
    }
    RECORDS_HELD.inc();
    pending.add(input.record());
    if (failedAttempts.read() != null) {
      return; // a lookup or the hold timeout is already scheduled for this batch
    }
    if (policy.usesLookup()) {
      lookUp(element.getKey(), status, pending, failedAttempts, waited, retry, out);
    } else {
      failedAttempts.write(0);
      retry.offset(toJoda(policy.holdTimeout())).setRelative();
    }
  }

  @OnTimer(RETRY)
  public void onRetry(
      @Key String batchId,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    if (policy.usesLookup()) {
      LOOKUP_RETRIES.inc();
      lookUp(batchId, status, pending, failedAttempts, waited, retry, out);
    } else {
      release(pending, null, out); // no notification within the hold timeout: the batch is unknown
      failedAttempts.clear();
    }
  }

  @OnTimer(EXPIRE)
  public void onExpire(
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry) {
    status.clear();
    pending.clear();
    stopRetrying(failedAttempts, waited, retry);
  }

  private void lookUp(
      String batchId,
      ValueState<BatchStatus> status,
      BagState<HriRecord> pending,
      ValueState<Integer> failedAttempts,
      ValueState<Long> waited,
      Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    LOOKUPS.inc();
    try {
      BatchStatus found = client.getBatch(batchId).status();
      status.write(found);
      release(pending, found, out);
    } catch (ManagementApiException e) {
      if (e.isNotFound()) {
        LOG.warn("Batch {} is unknown to the Management API (404)", batchId);
        release(pending, null, out);
      } else if (e.isClientError()) {
        throw new IllegalStateException("Call to HRI Management API failed: " + e.getMessage() + ".", e);
      } else {
        scheduleRetry(batchId, e, failedAttempts, waited, retry);
        return;
      }
    } catch (java.io.IOException e) {
      scheduleRetry(batchId, e, failedAttempts, waited, retry);
      return;
    }
    stopRetrying(failedAttempts, waited, retry);
  }

  private void scheduleRetry(
      String batchId, Exception cause, ValueState<Integer> failedAttempts, ValueState<Long> waited, Timer retry) {
    int failed = failedAttempts.read() == null ? 1 : failedAttempts.read() + 1;
    Duration waitedSoFar = Duration.ofMillis(waited.read() == null ? 0 : waited.read());
    Optional<Duration> backoff = policy.retry().nextBackoff(failed, waitedSoFar);
    if (backoff.isEmpty()) {
      throw new IllegalStateException(policy.retry().giveUpMessage(), cause);
    }
    LOG.warn(
        "Looking up batch {} failed ({}); backing off {} milliseconds",
        batchId, cause.getClass().getSimpleName(), backoff.get().toMillis());
    failedAttempts.write(failed);
    waited.write(waitedSoFar.plus(backoff.get()).toMillis());
    retry.offset(toJoda(backoff.get())).setRelative();
  }

  private static void release(BagState<HriRecord> pending, BatchStatus status, OutputReceiver<ResolvedRecord> out) {
    for (HriRecord record : pending.read()) {
      out.output(new ResolvedRecord(record, status));
    }
    pending.clear();
  }

  private static void stopRetrying(ValueState<Integer> failedAttempts, ValueState<Long> waited, Timer retry) {
    failedAttempts.clear();
    waited.clear();
    retry.clear();
  }

  static org.joda.time.Duration toJoda(Duration duration) {
    return org.joda.time.Duration.millis(duration.toMillis());
  }
}

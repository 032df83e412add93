package org.hri.pipeline.batches;

import java.time.Duration;
import java.io.IOException;
import java.util.function.BiFunction;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.hri.pipeline.mgmt.ApiHealth;
import org.hri.pipeline.mgmt.ManagementApiClient;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by batch id. Remembers the batch's latest status (from notifications or a lookup) and holds records
 * until there is one. A lookup that fails for the whole stream (an outage, a rate limit, credentials) is
 * retried from a processing-time timer, so the runner is never blocked for a backoff; one that concerns only
 * this batch, or that gives up, quarantines the batch: its held and later records are invalid with a reason.
 * Nothing a lookup answers fails the job.
 */
final class ResolveUnknownBatchesFn extends DoFn<KV<String, ResolverInput>, ResolvedRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ResolveUnknownBatchesFn.class);
  private static final Counter LOOKUPS = Metrics.counter("hri", "batch-lookups");
  private static final Counter LOOKUP_RETRIES = Metrics.counter("hri", "batch-lookup-retries");
  private static final Counter RECORDS_HELD = Metrics.counter("hri", "records-held-for-batch-status");
  private static final Counter QUARANTINED = Metrics.counter("hri", "batches-quarantined");
  private static final Counter EXPIRED_HELD = Metrics.counter("hri", "held-records-expired");

  static final String EXPIRED = "Bad Message - batch status still unknown when its state expired";

  private static final String STATUS = "status";
  private static final String QUARANTINE = "quarantine";
  private static final String PENDING = "pending";
  private static final String FAILED_ATTEMPTS = "failedAttempts";
  private static final String WAITED_MILLIS = "waitedMillis";
  private static final String RETRY = "retry";
  private static final String EXPIRE = "expire";

  @StateId(STATUS)
  private final StateSpec<ValueState<BatchStatus>> statusSpec = StateSpecs.value(BatchStatusCoder.of());

  /** The failure text of every record of a quarantined batch. */
  @StateId(QUARANTINE)
  private final StateSpec<ValueState<String>> quarantineSpec = StateSpecs.value(StringUtf8Coder.of());

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
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry,
      @TimerId(EXPIRE) Timer expire,
      OutputReceiver<ResolvedRecord> out) {
    expire.offset(toJoda(policy.stateTtl())).setRelative();
    ResolverInput input = element.getValue();
    String quarantined = quarantine.read();
    if (input.status() != null) {
      BatchStatus known = status.read();
      if (input.status().supersedes(known)) {
        status.write(input.status());
      }
      if (quarantined == null) {
        release(pending, ResolvedRecord::withStatus, status.read(), out);
        stopRetrying(failedAttempts, waited, retry);
      }
      return;
    }
    if (quarantined != null) {
      out.output(ResolvedRecord.rejected(input.record(), quarantined));
      return;
    }
    BatchStatus known = status.read();
    if (known != null) {
      out.output(ResolvedRecord.withStatus(input.record(), known));
      return;
    }
    RECORDS_HELD.inc();
    pending.add(input.record());
    if (failedAttempts.read() != null) {
      return; // a lookup or the hold timeout is already scheduled for this batch
    }
    if (policy.usesLookup()) {
      lookUp(element.getKey(), status, quarantine, pending, failedAttempts, waited, retry, out);
    } else {
      failedAttempts.write(0);
      retry.offset(toJoda(policy.holdTimeout())).setRelative();
    }
  }

  @OnTimer(RETRY)
  public void onRetry(
      @Key String batchId,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    if (policy.usesLookup()) {
      LOOKUP_RETRIES.inc();
      lookUp(batchId, status, quarantine, pending, failedAttempts, waited, retry, out);
    } else {
      release(pending, ResolvedRecord::withStatus, null, out); // no notification within the hold timeout
      failedAttempts.clear();
    }
  }

  /** The batch's state ends; records still held for it are invalid, never silently gone. */
  @OnTimer(EXPIRE)
  public void onExpire(
      @Key String batchId,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(FAILED_ATTEMPTS) ValueState<Integer> failedAttempts,
      @StateId(WAITED_MILLIS) ValueState<Long> waited,
      @TimerId(RETRY) Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    long released = release(pending, ResolvedRecord::rejected, EXPIRED, out);
    if (released > 0) {
      EXPIRED_HELD.inc(released);
      LOG.warn("The state of batch {} expired with {} records held; they are invalid", batchId, released);
    }
    status.clear();
    quarantine.clear();
    stopRetrying(failedAttempts, waited, retry);
  }

  private void lookUp(
      String batchId,
      ValueState<BatchStatus> status,
      ValueState<String> quarantine,
      BagState<HriRecord> pending,
      ValueState<Integer> failedAttempts,
      ValueState<Long> waited,
      Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    LOOKUPS.inc();
    LookupAnswer answer;
    int failed = failedAttempts.read() == null ? 1 : failedAttempts.read() + 1;
    Duration waitedSoFar = Duration.ofMillis(waited.read() == null ? 0 : waited.read());
    try {
      answer = LookupAnswer.found(client.getBatch(batchId), policy.inputTopic());
      ApiHealth.succeeded();
    } catch (IOException e) {
      answer = LookupAnswer.failed(e, failed, waitedSoFar, policy.retry());
    }
    if (answer instanceof LookupAnswer.Retry again) {
      ApiHealth.failed();
      LOG.warn("Looking up batch {} failed ({}); backing off {} milliseconds", batchId, again.reason(),
          again.backoff().toMillis());
      failedAttempts.write(failed);
      waited.write(waitedSoFar.plus(again.backoff()).toMillis());
      retry.offset(toJoda(again.backoff())).setRelative();
      return;
    }
    if (answer instanceof LookupAnswer.Found found) {
      status.write(found.status());
      release(pending, ResolvedRecord::withStatus, found.status(), out);
    } else if (answer instanceof LookupAnswer.Quarantined quarantined) {
      QUARANTINED.inc();
      LOG.error("Batch {} is quarantined ({}): its records are invalid", batchId, quarantined.reason());
      quarantine.write(quarantined.failure());
      release(pending, ResolvedRecord::rejected, quarantined.failure(), out);
    } else {
      ApiHealth.succeeded();
      LOG.warn("Batch {} is unknown to the Management API (404)", batchId);
      release(pending, ResolvedRecord::withStatus, null, out);
    }
    stopRetrying(failedAttempts, waited, retry);
  }

  private static <T> long release(
      BagState<HriRecord> pending, BiFunction<HriRecord, T, ResolvedRecord> resolve, T outcome,
      OutputReceiver<ResolvedRecord> out) {
    long released = 0;
    for (HriRecord record : pending.read()) {
      out.output(resolve.apply(record, outcome));
      released++;
    }
    pending.clear();
    return released;
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

package org.hri.pipeline.batches;

import java.io.IOException;
import java.time.Duration;
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
import org.hri.pipeline.model.BatchEvent;
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
final class ResolveUnknownBatchesFn extends DoFn<KV<String, BatchEvent>, ResolvedRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(ResolveUnknownBatchesFn.class);
  private static final Counter LOOKUPS = Metrics.counter("hri", "batch-lookups");
  private static final Counter LOOKUP_RETRIES = Metrics.counter("hri", "batch-lookup-retries");
  private static final Counter RECORDS_HELD = Metrics.counter("hri", "records-held-for-batch-status");
  private static final Counter QUARANTINED = Metrics.counter("hri", "batches-quarantined");
  private static final Counter EXPIRED_HELD = Metrics.counter("hri", "held-records-expired");
  // Held now = records-held-for-batch-status - held-records-released (expired ones are released too).
  private static final Counter RELEASED = Metrics.counter("hri", "held-records-released");

  static final String EXPIRED = "Bad Message - batch status still unknown when its state expired";

  private static final String STATUS = "status";
  private static final String QUARANTINE = "quarantine";
  private static final String PENDING = "pending";
  private static final String SCHEDULED = "scheduled";
  private static final String RETRY = "retry";
  private static final String EXPIRE = "expire";

  @StateId(STATUS)
  private final StateSpec<ValueState<BatchStatus>> statusSpec = StateSpecs.value(BatchStatusCoder.of());

  /** The failure text of every record of a quarantined batch. */
  @StateId(QUARANTINE)
  private final StateSpec<ValueState<String>> quarantineSpec = StateSpecs.value(StringUtf8Coder.of());

  @StateId(PENDING)
  private final StateSpec<BagState<HriRecord>> pendingSpec = StateSpecs.bag(HriRecordCoder.of());

  /** What the {@link #RETRY} timer is set for; kept with the timer in the same keyed state. */
  @StateId(SCHEDULED)
  private final StateSpec<ValueState<ResolverTimer>> scheduledSpec = StateSpecs.value(ResolverTimer.CODER);

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
    if (policy instanceof UnknownBatchPolicy.Lookup lookup) {
      client = ManagementApiClient.create(lookup.api());
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
      @Element KV<String, BatchEvent> element,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(SCHEDULED) ValueState<ResolverTimer> scheduled,
      @TimerId(RETRY) Timer retry,
      @TimerId(EXPIRE) Timer expire,
      OutputReceiver<ResolvedRecord> out) {
    expire.offset(toJoda(policy.stateTtl())).setRelative();
    BatchEvent event = element.getValue();
    String quarantined = quarantine.read();
    if (event instanceof BatchEvent.Notified notified) {
      BatchStatus latest = notified.notification().status();
      if (latest.supersedes(status.read())) {
        status.write(latest);
      }
      if (quarantined == null) {
        release(pending, ResolvedRecord::withStatus, status.read(), out);
        stopRetrying(scheduled, retry);
      }
      return;
    }
    if (!(event instanceof BatchEvent.Unresolved unresolved)) {
      throw new IllegalArgumentException(
          "The resolver takes records and notifications, not " + event.getClass().getSimpleName());
    }
    HriRecord record = unresolved.record();
    if (quarantined != null) {
      out.output(ResolvedRecord.rejected(record, quarantined));
      return;
    }
    BatchStatus known = status.read();
    if (known != null) {
      out.output(ResolvedRecord.withStatus(record, known));
      return;
    }
    RECORDS_HELD.inc();
    pending.add(record);
    if (scheduled.read() != null) {
      return; // a lookup or the hold timeout is already scheduled for this batch
    }
    if (policy instanceof UnknownBatchPolicy.Lookup lookup) {
      lookUp(element.getKey(), lookup, 0, Duration.ZERO, status, quarantine, pending, scheduled, retry, out);
    } else if (policy instanceof UnknownBatchPolicy.Hold hold) {
      scheduled.write(new ResolverTimer.HoldTimeout());
      retry.offset(toJoda(hold.holdTimeout())).setRelative();
    }
  }

  @OnTimer(RETRY)
  public void onRetry(
      @Key String batchId,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(SCHEDULED) ValueState<ResolverTimer> scheduled,
      @TimerId(RETRY) Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    if (policy instanceof UnknownBatchPolicy.Lookup lookup) {
      // No failed lookups are known when the timer's state is missing (a savepoint of an earlier version).
      ResolverTimer.LookupRetry again =
          scheduled.read() instanceof ResolverTimer.LookupRetry known
              ? known
              : new ResolverTimer.LookupRetry(0, Duration.ZERO);
      LOOKUP_RETRIES.inc();
      lookUp(batchId, lookup, again.failedAttempts(), again.waited(), status, quarantine, pending, scheduled, retry,
          out);
    } else {
      release(pending, ResolvedRecord::withStatus, null, out); // no notification within the hold timeout
      scheduled.clear();
    }
  }

  /** The batch's state ends; records still held for it are invalid, never silently gone. */
  @OnTimer(EXPIRE)
  public void onExpire(
      @Key String batchId,
      @StateId(STATUS) ValueState<BatchStatus> status,
      @StateId(QUARANTINE) ValueState<String> quarantine,
      @StateId(PENDING) BagState<HriRecord> pending,
      @StateId(SCHEDULED) ValueState<ResolverTimer> scheduled,
      @TimerId(RETRY) Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    long released = release(pending, ResolvedRecord::rejected, EXPIRED, out);
    if (released > 0) {
      EXPIRED_HELD.inc(released);
      LOG.warn("The state of batch {} expired with {} records held; they are invalid", batchId, released);
    }
    status.clear();
    quarantine.clear();
    stopRetrying(scheduled, retry);
  }

  /** Looks the batch up after {@code failedBefore} failed lookups in a row that waited {@code waitedBefore}. */
  private void lookUp(
      String batchId,
      UnknownBatchPolicy.Lookup lookup,
      int failedBefore,
      Duration waitedBefore,
      ValueState<BatchStatus> status,
      ValueState<String> quarantine,
      BagState<HriRecord> pending,
      ValueState<ResolverTimer> scheduled,
      Timer retry,
      OutputReceiver<ResolvedRecord> out) {
    LOOKUPS.inc();
    LookupAnswer answer;
    int failed = failedBefore + 1;
    try {
      answer = LookupAnswer.found(client.getBatch(batchId), lookup.inputTopic());
      ApiHealth.succeeded();
    } catch (IOException e) {
      answer = LookupAnswer.failed(e, failed, waitedBefore, lookup.retry());
    }
    if (answer instanceof LookupAnswer.Retry again) {
      ApiHealth.failed();
      LOG.warn("Looking up batch {} failed ({}); backing off {} milliseconds", batchId, again.reason(),
          again.backoff().toMillis());
      scheduled.write(new ResolverTimer.LookupRetry(failed, waitedBefore.plus(again.backoff())));
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
    stopRetrying(scheduled, retry);
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
    if (released > 0) {
      RELEASED.inc(released);
    }
    return released;
  }

  private static void stopRetrying(ValueState<ResolverTimer> scheduled, Timer retry) {
    scheduled.clear();
    retry.clear();
  }

  static org.joda.time.Duration toJoda(Duration duration) {
    return org.joda.time.Duration.millis(duration.toMillis());
  }
}

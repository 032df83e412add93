package org.hri.pipeline.mgmt;

import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.durable.HoldUntilDurable;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.DeadLetterCoder;

/**
 * Writes the tracker's verdicts to the HRI Management API: a {@code completed} notification calls
 * processingComplete, a {@code failed} one calls fail with its message, both with the verdict's counts; any
 * other status fails the job.
 *
 * <p>An answer that concerns only this batch (a 4xx but 401, 403, 408 and 429) gives its verdict up at once;
 * 409 means the batch is already past that transition and counts as done. Stream-wide failures (those four,
 * 5xx, transport errors) are retried per batch on processing-time timers following the {@link RetryPolicy}
 * (default 1 s doubling to 5 min, at least {@code Retry-After}, giving up after 24 h). A verdict given up is
 * logged and counted; the job keeps running, since a restart would only repeat the call.
 *
 * <p>The output holds the verdicts that were applied or found applied (409) under {@link #APPLIED}, and those
 * rejected, given up or still unsent when the input ended under {@link #NOT_APPLIED}, as dead letters that
 * say why. Calls are at-least-once: a replayed bundle may repeat one, which the 409 handling makes harmless.
 *
 * <pre>{@code
 * PCollectionTuple reported = verdicts.apply("UpdateBatchStatus", UpdateBatchStatus.to(config));
 * PCollection<DeadLetter> notApplied = reported.get(UpdateBatchStatus.NOT_APPLIED);
 * }</pre>
 */
public final class UpdateBatchStatus extends PTransform<PCollection<BatchNotification>, PCollectionTuple> {
  /** Verdicts the API accepted, or had already applied (409). */
  public static final TupleTag<BatchNotification> APPLIED = new TupleTag<>("applied") {};
  /** Verdicts the API rejected or never accepted, with the reason. */
  public static final TupleTag<DeadLetter> NOT_APPLIED = new TupleTag<>("notApplied") {};

  private final ManagementApiConfig config;
  private final RetryPolicy retryPolicy;
  private final UpdateBatchStatusFn.ClientFactory clientFactory;

  private UpdateBatchStatus(
      ManagementApiConfig config, RetryPolicy retryPolicy, UpdateBatchStatusFn.ClientFactory clientFactory) {
    this.config = Objects.requireNonNull(config, "config");
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
  }

  /** Updates batches of {@code config}'s tenant, with {@link RetryPolicy#defaults()}. */
  public static UpdateBatchStatus to(ManagementApiConfig config) {
    return new UpdateBatchStatus(config, RetryPolicy.defaults(), ManagementApiClient::create);
  }

  public UpdateBatchStatus withRetryPolicy(RetryPolicy retryPolicy) {
    return new UpdateBatchStatus(config, retryPolicy, clientFactory);
  }

  /** For tests: how the client is created on the workers. */
  UpdateBatchStatus withClientFactory(UpdateBatchStatusFn.ClientFactory clientFactory) {
    return new UpdateBatchStatus(config, retryPolicy, clientFactory);
  }

  @Override
  public PCollectionTuple expand(PCollection<BatchNotification> verdicts) {
    PCollectionTuple reported = verdicts
        // A retry may wait far longer than any window of the input would keep its state.
        .apply("GlobalWindow", Window.<BatchNotification>into(new GlobalWindows()))
        .apply("KeyByBatchId", WithKeys.of((BatchNotification n) -> n.id()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BatchNotificationCoder.of()))
        // A verdict is reported only once the runner has made it durable (on Flink: once a completed checkpoint
        // holds it), so it never precedes the records it counts, and a restart repeats the same call.
        .apply("HoldUntilDurable", HoldUntilDurable.of())
        .apply("CallManagementApi",
            ParDo.of(new UpdateBatchStatusFn(config, retryPolicy, clientFactory))
                .withOutputTags(APPLIED, TupleTagList.of(NOT_APPLIED)));
    reported.get(APPLIED).setCoder(BatchNotificationCoder.of());
    reported.get(NOT_APPLIED).setCoder(DeadLetterCoder.of());
    return reported;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("baseUrl", config.baseUrl()).withLabel("Management API base URL"))
        .add(DisplayData.item("tenantId", config.tenantId()).withLabel("Tenant"))
        .add(DisplayData.item("retryPolicy", retryPolicy.toString()).withLabel("Retry policy"));
  }
}

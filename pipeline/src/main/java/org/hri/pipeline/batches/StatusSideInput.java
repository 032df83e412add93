package org.hri.pipeline.batches;

import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/**
 * Builds the batch status side input from the notification stream: one {@link PublishedStatuses} per pane,
 * read with {@code View.asSingleton()} (a {@code View.asMap} breaks when its trigger fires repeatedly),
 * published at most every 200 ms with all the changes since the last one.
 *
 * <p>At start-up ({@link PublisherInput.StartUp}) it publishes what it knows before any notification arrives, so
 * validation does not wait for the first notification when the topic is empty.
 */
public final class StatusSideInput
    extends PTransform<PCollection<BatchNotification>, PCollectionView<PublishedStatuses>> {
  private static final String KEY = "batches"; // one key: the known batches are one value

  private final Duration finalRetention;
  private final Duration idleTtl;

  private StatusSideInput(Duration finalRetention, Duration idleTtl) {
    this.finalRetention = finalRetention;
    this.idleTtl = idleTtl;
  }

  /**
   * @param finalRetention how long a batch stays in the side input after a final status
   * @param idleTtl how long a batch that never reaches a final status stays after its last notification
   */
  public static StatusSideInput of(Duration finalRetention, Duration idleTtl) {
    return new StatusSideInput(finalRetention, idleTtl);
  }

  @Override
  public PCollectionView<PublishedStatuses> expand(PCollection<BatchNotification> notifications) {
    KvCoder<String, PublisherInput> inputCoder = KvCoder.of(StringUtf8Coder.of(), PublisherInput.CODER);
    PCollection<KV<String, PublisherInput>> updates =
        notifications
            .apply(
                "ToStatusUpdates",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(PublisherInput.class)))
                    .via(n -> KV.of(KEY, new PublisherInput.StatusUpdate(n.id(), n.status()))))
            .setCoder(inputCoder);
    PCollection<KV<String, PublisherInput>> startUp =
        notifications
            .getPipeline()
            .apply("StartUpTick", Create.of(KV.of(KEY, (PublisherInput) new PublisherInput.StartUp()))
                .withCoder(inputCoder));

    // Step names and state ids map state across versions of the job (docs/operations.md): keep them.
    return PCollectionList.of(startUp)
        .and(updates)
        .apply("WithStartUpTick", Flatten.pCollections())
        .apply("PublishSnapshots", ParDo.of(new PublishFn(finalRetention, idleTtl)))
        .setCoder(PublishedStatuses.Coder.of())
        .apply(
            "EveryChange",
            Window.<PublishedStatuses>configure()
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes())
        .apply("NewestSnapshot", Combine.globally(new NewestFn()).withoutDefaults())
        .apply("AsSingleton", View.<PublishedStatuses>asSingleton().withDefaultValue(PublishedStatuses.EMPTY));
  }

  /** Of several published statuses fired together, the ones with the highest version. */
  static final class NewestFn extends Combine.BinaryCombineFn<PublishedStatuses> {
    @Override
    public PublishedStatuses apply(PublishedStatuses a, PublishedStatuses b) {
      return a.version() >= b.version() ? a : b;
    }

    @Override
    public PublishedStatuses identity() {
      return PublishedStatuses.EMPTY;
    }
  }

  /**
   * Keeps the {@link KnownBatches} in state and publishes their statuses at most every {@link #PUBLISH_EVERY}.
   * Updates wait in a bag until then: applying and publishing each one would cost the number of known batches per
   * notification, quadratic in the open batches (docs/performance.md). A record whose batch is newer than the
   * published statuses is resolved by {@link ResolveUnknownBatches}, which sees every notification.
   */
  static final class PublishFn extends DoFn<KV<String, PublisherInput>, PublishedStatuses> {
    static final org.joda.time.Duration PUBLISH_EVERY = org.joda.time.Duration.millis(200);
    // One key holds every batch, so this gauge is the whole stream's count.
    private static final Gauge OPEN = Metrics.gauge("hri", "batches-open");
    private static final String KNOWN = "registry";
    private static final String PENDING = "pending";
    private static final String SCHEDULED = "scheduled";
    private static final String PUBLISH = "publish";

    @StateId(KNOWN)
    private final StateSpec<ValueState<KnownBatches>> knownSpec = StateSpecs.value(new KnownBatches.Coder());

    @StateId(PENDING)
    private final StateSpec<BagState<KV<String, BatchStatus>>> pendingSpec =
        StateSpecs.bag(KvCoder.of(StringUtf8Coder.of(), BatchStatusCoder.of()));

    // Kept with the timer in the same keyed state, so a restored checkpoint has both or neither.
    @StateId(SCHEDULED)
    private final StateSpec<ValueState<Boolean>> scheduledSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId(PUBLISH)
    private final TimerSpec publishSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final Duration finalRetention;
    private final Duration idleTtl;

    PublishFn(Duration finalRetention, Duration idleTtl) {
      this.finalRetention = finalRetention;
      this.idleTtl = idleTtl;
    }

    @ProcessElement
    public void process(
        @Element KV<String, PublisherInput> input,
        @StateId(KNOWN) ValueState<KnownBatches> known,
        @StateId(PENDING) BagState<KV<String, BatchStatus>> pending,
        @StateId(SCHEDULED) ValueState<Boolean> scheduled,
        @TimerId(PUBLISH) Timer publish,
        OutputReceiver<PublishedStatuses> out) {
      if (!(input.getValue() instanceof PublisherInput.StatusUpdate update)) {
        KnownBatches batches = current(known);
        OPEN.set(batches.open());
        out.output(batches.published()); // start-up: validation must not wait for a first notification
        return;
      }
      pending.add(KV.of(update.batchId(), update.status()));
      if (scheduled.read() == null) { // set once per interval: a steady stream must not postpone publishing
        publish.offset(PUBLISH_EVERY).setRelative();
        scheduled.write(true);
      }
    }

    @OnTimer(PUBLISH)
    public void publish(
        @StateId(KNOWN) ValueState<KnownBatches> known,
        @StateId(PENDING) BagState<KV<String, BatchStatus>> pending,
        @StateId(SCHEDULED) ValueState<Boolean> scheduled,
        OutputReceiver<PublishedStatuses> out) {
      KnownBatches batches = current(known);
      // In any order: statuses only move forward. A new value, once per interval: the one read from state
      // may be in the middle of an asynchronous snapshot and must not change (docs/architecture.md).
      KnownBatches next = batches.withUpdates(pending.read(), Instant.now(), finalRetention, idleTtl);
      pending.clear();
      scheduled.clear();
      if (next != batches) { // a repeated status only refreshes its batch's time, but that is kept too
        known.write(next);
      }
      if (next.version() != batches.version()) {
        OPEN.set(next.open());
        out.output(next.published());
      }
    }

    private static KnownBatches current(ValueState<KnownBatches> known) {
      KnownBatches batches = known.read();
      return batches != null ? batches : KnownBatches.EMPTY;
    }
  }
}

package org.hri.pipeline.batches;

import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * Turns the notification stream into the batch status side input: one {@link BatchStatusSnapshot} per pane,
 * read with {@code View.asSingleton()} (a {@code View.asMap} breaks when its trigger fires repeatedly),
 * published at most every 200 ms with all the changes since the last one.
 *
 * <p>At start-up ({@link PublisherInput.StartUp}) it publishes what it knows before any notification arrives, so
 * validation does not wait for the first notification when the topic is empty.
 */
public final class BatchStatusView
    extends PTransform<PCollection<BatchNotification>, PCollectionView<BatchStatusSnapshot>> {
  private static final String REGISTRY_KEY = "batches";

  private final Duration finalRetention;
  private final Duration idleTtl;

  private BatchStatusView(Duration finalRetention, Duration idleTtl) {
    this.finalRetention = finalRetention;
    this.idleTtl = idleTtl;
  }

  /**
   * @param finalRetention how long a batch stays in the view after a final status
   * @param idleTtl how long a batch that never reaches a final status stays after its last notification
   */
  public static BatchStatusView of(Duration finalRetention, Duration idleTtl) {
    return new BatchStatusView(finalRetention, idleTtl);
  }

  @Override
  public PCollectionView<BatchStatusSnapshot> expand(PCollection<BatchNotification> notifications) {
    KvCoder<String, PublisherInput> inputCoder = KvCoder.of(StringUtf8Coder.of(), new PublisherInput.Coder());
    PCollection<KV<String, PublisherInput>> updates =
        notifications
            .apply(
                "ToStatusUpdates",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(PublisherInput.class)))
                    .via(n -> KV.of(REGISTRY_KEY, new PublisherInput.StatusUpdate(n.id(), n.status()))))
            .setCoder(inputCoder);
    PCollection<KV<String, PublisherInput>> startUp =
        notifications
            .getPipeline()
            .apply("StartUp", Create.of(KV.of(REGISTRY_KEY, (PublisherInput) new PublisherInput.StartUp()))
                .withCoder(inputCoder));

    return PCollectionList.of(startUp)
        .and(updates)
        .apply("WithStartUp", Flatten.pCollections())
        .apply("PublishSnapshots", ParDo.of(new PublishSnapshotsFn(finalRetention, idleTtl)))
        .setCoder(BatchStatusSnapshot.Coder.of())
        .apply(
            "EveryChange",
            Window.<BatchStatusSnapshot>configure()
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .discardingFiredPanes())
        .apply("NewestSnapshot", Combine.globally(new NewestSnapshotFn()).withoutDefaults())
        .apply("AsSingleton", View.<BatchStatusSnapshot>asSingleton().withDefaultValue(BatchStatusSnapshot.EMPTY));
  }

  /** Of several snapshots fired together, the one with the highest version. */
  static final class NewestSnapshotFn extends Combine.BinaryCombineFn<BatchStatusSnapshot> {
    @Override
    public BatchStatusSnapshot apply(BatchStatusSnapshot a, BatchStatusSnapshot b) {
      return a.version() >= b.version() ? a : b;
    }

    @Override
    public BatchStatusSnapshot identity() {
      return BatchStatusSnapshot.EMPTY;
    }
  }

  /**
   * Keeps the registry in state (one key) and publishes a snapshot of it at most every {@link #PUBLISH_EVERY}.
   * Updates wait in a bag until then: applying and publishing each one would cost the registry's size per
   * notification, quadratic when many batches are open (20,000 open batches stalled the job). A record whose
   * batch is newer than the snapshot is resolved by {@link ResolveUnknownBatches}, which sees every notification.
   */
  static final class PublishSnapshotsFn extends DoFn<KV<String, PublisherInput>, BatchStatusSnapshot> {
    static final org.joda.time.Duration PUBLISH_EVERY = org.joda.time.Duration.millis(200);
    private static final String REGISTRY = "registry";
    private static final String PENDING = "pending";
    private static final String SCHEDULED = "scheduled";
    private static final String PUBLISH = "publish";

    @StateId(REGISTRY)
    private final StateSpec<ValueState<BatchStatusRegistry>> registrySpec =
        StateSpecs.value(new BatchStatusRegistry.Coder());

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

    PublishSnapshotsFn(Duration finalRetention, Duration idleTtl) {
      this.finalRetention = finalRetention;
      this.idleTtl = idleTtl;
    }

    @ProcessElement
    public void process(
        @Element KV<String, PublisherInput> input,
        @StateId(REGISTRY) ValueState<BatchStatusRegistry> registry,
        @StateId(PENDING) BagState<KV<String, BatchStatus>> pending,
        @StateId(SCHEDULED) ValueState<Boolean> scheduled,
        @TimerId(PUBLISH) Timer publish,
        OutputReceiver<BatchStatusSnapshot> out) {
      if (!(input.getValue() instanceof PublisherInput.StatusUpdate update)) {
        out.output(current(registry).snapshot()); // start-up: validation must not wait for a first notification
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
        @StateId(REGISTRY) ValueState<BatchStatusRegistry> registry,
        @StateId(PENDING) BagState<KV<String, BatchStatus>> pending,
        @StateId(SCHEDULED) ValueState<Boolean> scheduled,
        OutputReceiver<BatchStatusSnapshot> out) {
      BatchStatusRegistry batches = current(registry);
      // In any order: statuses only move forward. A new registry, once per interval: the one read from state
      // may be in the middle of an asynchronous snapshot and must not change (docs/architecture.md).
      BatchStatusRegistry next = batches.withUpdates(pending.read(), Instant.now(), finalRetention, idleTtl);
      pending.clear();
      scheduled.clear();
      if (next != batches) { // a repeated status only refreshes its batch's time, but that is kept too
        registry.write(next);
      }
      if (next.version() != batches.version()) {
        out.output(next.snapshot());
      }
    }

    private static BatchStatusRegistry current(ValueState<BatchStatusRegistry> registry) {
      BatchStatusRegistry batches = registry.read();
      return batches != null ? batches : BatchStatusRegistry.EMPTY;
    }
  }
}

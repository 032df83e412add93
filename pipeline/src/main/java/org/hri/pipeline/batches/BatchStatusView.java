package org.hri.pipeline.batches;

import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
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
import org.apache.beam.sdk.values.TypeDescriptors;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/**
 * Turns the notification stream into the batch status side input: one {@link BatchStatusSnapshot} per pane,
 * read with {@code View.asSingleton()} (a {@code View.asMap} breaks when its trigger fires repeatedly).
 *
 * <p>A start-up tick publishes a snapshot before any notification arrives, so validation does not wait for
 * the first notification when the topic is empty.
 */
public final class BatchStatusView
    extends PTransform<PCollection<BatchNotification>, PCollectionView<BatchStatusSnapshot>> {
  private static final String REGISTRY_KEY = "batches";
  private static final String START_UP_TICK = "";

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
    KvCoder<String, KV<String, BatchStatus>> updateCoder =
        KvCoder.of(
            StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(BatchStatusCoder.of())));
    PCollection<KV<String, KV<String, BatchStatus>>> updates =
        notifications
            .apply(
                "ToStatusUpdates",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(),
                                org.apache.beam.sdk.values.TypeDescriptor.of(BatchStatus.class))))
                    .via(n -> KV.of(REGISTRY_KEY, KV.of(n.id(), n.status()))))
            .setCoder(updateCoder);
    PCollection<KV<String, KV<String, BatchStatus>>> startUp =
        notifications
            .getPipeline()
            .apply("StartUpTick", Create.of(KV.of(REGISTRY_KEY, KV.of(START_UP_TICK, (BatchStatus) null)))
                .withCoder(updateCoder));

    return PCollectionList.of(startUp)
        .and(updates)
        .apply("WithStartUpTick", Flatten.pCollections())
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

  /** Keeps the registry in state (one key) and publishes a snapshot whenever it changes. */
  static final class PublishSnapshotsFn extends DoFn<KV<String, KV<String, BatchStatus>>, BatchStatusSnapshot> {
    private static final String REGISTRY = "registry";

    @StateId(REGISTRY)
    private final StateSpec<ValueState<BatchStatusRegistry>> registrySpec =
        StateSpecs.value(new BatchStatusRegistry.Coder());

    private final Duration finalRetention;
    private final Duration idleTtl;

    PublishSnapshotsFn(Duration finalRetention, Duration idleTtl) {
      this.finalRetention = finalRetention;
      this.idleTtl = idleTtl;
    }

    @ProcessElement
    public void process(
        @Element KV<String, KV<String, BatchStatus>> update,
        @StateId(REGISTRY) ValueState<BatchStatusRegistry> state,
        OutputReceiver<BatchStatusSnapshot> out) {
      BatchStatusRegistry registry = state.read();
      if (registry == null) {
        registry = new BatchStatusRegistry();
      }
      long versionBefore = registry.version();
      String batchId = update.getValue().getKey();
      Instant now = Instant.now();
      boolean tick = START_UP_TICK.equals(batchId);
      if (!tick) {
        registry.update(batchId, update.getValue().getValue(), now);
      }
      registry.prune(now, finalRetention, idleTtl);
      if (tick || registry.version() != versionBefore) {
        state.write(registry);
        out.output(registry.snapshot());
      }
    }
  }
}

package org.hri.pipeline.durable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.durable.DurableBundles.Holder;

/**
 * Passes each keyed element on once the runner has made it durable ({@link DurableBundles}), in the order the
 * elements came per key: the step after it acts only on elements that every restore gives back, and acts on
 * them again after one. Put it before a step that acts outside the pipeline (an API call), where Beam would
 * put {@code @RequiresStableInput}.
 *
 * <pre>{@code
 * PCollection<KV<String, Verdict>> stable = verdicts.apply("HoldUntilDurable", HoldUntilDurable.of());
 * }</pre>
 */
public final class HoldUntilDurable<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {
  static final int SHARDS = 16;

  private HoldUntilDurable() {}

  public static <K, V> HoldUntilDurable<K, V> of() {
    return new HoldUntilDurable<>();
  }

  @Override
  public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getCoder() instanceof KvCoder<K, V> coder)) {
      throw new IllegalArgumentException("HoldUntilDurable needs a KvCoder, not " + input.getCoder());
    }
    return input
        .apply("ShardByKey", ParDo.of(new ShardByKeyFn<>(coder.getKeyCoder())))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("Hold", ParDo.of(new HoldFn<>(coder)))
        .setCoder(coder);
  }

  /**
   * Holds elements in a few shards, not per key: a shard looks for durable elements every
   * {@link DurableBundles#RELEASE_PERIOD} while it holds any, and 100,000 keys would each poll. A key's elements
   * share a shard, so they stay in order.
   */
  private static final class ShardByKeyFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
    private final Coder<K> keyCoder;

    ShardByKeyFn(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, OutputReceiver<KV<Integer, KV<K, V>>> out)
        throws CoderException {
      int hash = Arrays.hashCode(CoderUtils.encodeToByteArray(keyCoder, element.getKey()));
      out.output(KV.of(Math.floorMod(hash, SHARDS), element));
    }
  }

  private static final class HoldFn<K, V> extends DoFn<KV<Integer, KV<K, V>>, KV<K, V>> {
    @StateId("held")
    private final StateSpec<BagState<KV<Holder, KV<K, V>>>> heldSpec;

    @TimerId("release")
    private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    /**
     * The input ended (bounded input, a drain): runners fire no processing-time timer after it, so all that is
     * held goes then, durable or not.
     */
    @TimerId("endOfInput")
    private final TimerSpec endOfInputSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private transient DurableBundles bundles;

    HoldFn(Coder<KV<K, V>> coder) {
      heldSpec = StateSpecs.bag(KvCoder.of(Holder.CODER, coder));
    }

    @Setup
    public void setup() {
      bundles = new DurableBundles();
    }

    @StartBundle
    public void startBundle() {
      bundles.startBundle();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<K, V>> element,
        BoundedWindow window,
        @StateId("held") BagState<KV<Holder, KV<K, V>>> held,
        @TimerId("release") Timer release,
        @TimerId("endOfInput") Timer endOfInput,
        BundleFinalizer finalizer) {
      if (held.isEmpty().read()) { // else the timers are set already: each release sets the next while any is held
        endOfInput.set(window.maxTimestamp());
        release.align(DurableBundles.RELEASE_PERIOD).setRelative();
      }
      held.add(KV.of(bundles.hold(finalizer), element.getValue()));
    }

    @OnTimer("release")
    public void release(
        @StateId("held") BagState<KV<Holder, KV<K, V>>> held,
        @TimerId("release") Timer release,
        OutputReceiver<KV<K, V>> out) {
      release(held, release, out, bundles::isDurable);
    }

    @OnTimer("endOfInput")
    public void endOfInput(
        @StateId("held") BagState<KV<Holder, KV<K, V>>> held,
        @TimerId("release") Timer release,
        OutputReceiver<KV<K, V>> out) {
      release(held, release, out, holder -> true);
    }

    /** Passes on the held elements up to the first that is not durable; looks again later if any is left. */
    private void release(
        BagState<KV<Holder, KV<K, V>>> held, Timer release, OutputReceiver<KV<K, V>> out,
        Predicate<Holder> isDurable) {
      Iterator<KV<Holder, KV<K, V>>> values = held.read().iterator();
      if (!values.hasNext()) {
        return;
      }
      KV<Holder, KV<K, V>> first = values.next();
      if (!isDurable.test(first.getKey())) { // nor any after it: they came later
        release.align(DurableBundles.RELEASE_PERIOD).setRelative();
        return;
      }
      out.output(first.getValue());
      List<KV<Holder, KV<K, V>>> waiting = new ArrayList<>();
      while (values.hasNext()) {
        KV<Holder, KV<K, V>> value = values.next();
        if (waiting.isEmpty() && isDurable.test(value.getKey())) {
          out.output(value.getValue());
        } else {
          waiting.add(value);
        }
      }
      held.clear();
      waiting.forEach(held::add);
      if (!waiting.isEmpty()) {
        release.align(DurableBundles.RELEASE_PERIOD).setRelative();
      }
    }
  }
}

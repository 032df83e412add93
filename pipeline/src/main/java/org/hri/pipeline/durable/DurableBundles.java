package org.hri.pipeline.durable;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn.BundleFinalizer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Tells a stateful DoFn instance which of the values it put in state the runner has made durable: on Flink,
 * those a completed checkpoint holds. The bundle finalizer reports each bundle this instance committed; a value
 * that another instance put in state is durable already, since this one sees it only after the runner restored
 * or committed it. Values so held are what a step may act on outside the pipeline, and acts on again after a
 * restore: Beam's {@code @RequiresStableInput} promises the same, but on Flink (Beam 2.70) it can release
 * elements no completed checkpoint holds (docs/architecture.md, decision 12).
 *
 * <p>Create one per DoFn instance in {@code @Setup}, call {@link #startBundle()} in {@code @StartBundle} and
 * {@link #hold} for each value put in state; not serializable.
 */
public final class DurableBundles {
  /** How often a step holding values looks for durable ones: the latency it adds after a checkpoint. */
  public static final Duration RELEASE_PERIOD = Duration.millis(10);
  /** Past this, a runner may drop a bundle's finalization; a later bundle's then covers the values. */
  private static final Duration FINALIZATION_EXPIRY = Duration.standardHours(1);
  private static final SecureRandom INSTANCES = new SecureRandom();

  private final long instance = INSTANCES.nextLong();
  private final AtomicLong lastCommittedBundle = new AtomicLong(-1);
  private long bundle;
  private boolean bundleFinalizing;

  public void startBundle() {
    bundle++;
    bundleFinalizing = false;
  }

  /** Who holds a value put in state in the current bundle; asks to hear when the bundle is committed. */
  public Holder hold(BundleFinalizer finalizer) {
    if (!bundleFinalizing) {
      long committed = bundle;
      finalizer.afterBundleCommit(
          Instant.now().plus(FINALIZATION_EXPIRY), () -> lastCommittedBundle.accumulateAndGet(committed, Math::max));
      bundleFinalizing = true;
    }
    return new Holder(instance, bundle);
  }

  /** True once the state {@code holder} wrote is durable. */
  public boolean isDurable(Holder holder) {
    return holder.instance() != instance || holder.bundle() <= lastCommittedBundle.get();
  }

  /** The DoFn instance and its bundle that put a value in state. */
  public record Holder(long instance, long bundle) {
    public static final Coder<Holder> CODER = new HolderCoder();
  }

  private static final class HolderCoder extends AtomicCoder<Holder> {
    @Override
    public void encode(Holder holder, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(holder.instance());
      data.writeLong(holder.bundle());
    }

    @Override
    public Holder decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      return new Holder(data.readLong(), data.readLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}

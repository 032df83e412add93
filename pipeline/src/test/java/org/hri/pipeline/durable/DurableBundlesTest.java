package org.hri.pipeline.durable;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn.BundleFinalizer;
import org.apache.beam.sdk.util.CoderUtils;
import org.hri.pipeline.durable.DurableBundles.Holder;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class DurableBundlesTest {
  /** Keeps the callbacks as a runner does until it has committed the bundle. */
  private static final class Finalizer implements BundleFinalizer {
    final List<Callback> callbacks = new ArrayList<>();

    @Override
    public void afterBundleCommit(Instant callbackExpiry, Callback callback) {
      callbacks.add(callback);
    }

    void commit(int bundle) throws Exception {
      callbacks.get(bundle).onBundleSuccess();
    }
  }

  @Test
  void aValueIsDurableOnceItsBundleOrALaterOneWasCommitted() throws Exception {
    DurableBundles bundles = new DurableBundles();
    Finalizer finalizer = new Finalizer();
    bundles.startBundle();
    Holder first = bundles.hold(finalizer);
    Holder sameBundle = bundles.hold(finalizer);
    bundles.startBundle();
    Holder second = bundles.hold(finalizer);
    bundles.startBundle();
    Holder third = bundles.hold(finalizer);

    assertThat(finalizer.callbacks.size(), is(3)); // one per bundle, not per value
    assertThat(bundles.isDurable(first), is(false));

    finalizer.commit(1); // the second bundle's callback; the first one's never came
    assertThat(bundles.isDurable(first), is(true));
    assertThat(bundles.isDurable(sameBundle), is(true));
    assertThat(bundles.isDurable(second), is(true));
    assertThat(bundles.isDurable(third), is(false));

    finalizer.commit(0); // late: covers nothing new
    assertThat(bundles.isDurable(third), is(false));
  }

  @Test
  void whatAnotherInstanceHeldIsDurable() {
    DurableBundles restored = new DurableBundles();
    restored.startBundle();
    Holder beforeTheRestore = restored.hold(new Finalizer());

    DurableBundles bundles = new DurableBundles();
    bundles.startBundle();

    assertThat(bundles.isDurable(beforeTheRestore), is(true));
    assertThat(bundles.isDurable(bundles.hold(new Finalizer())), is(false));
  }

  @Test
  void aHolderSurvivesItsCoder() throws Exception {
    Holder holder = new Holder(-3, 42);

    byte[] encoded = CoderUtils.encodeToByteArray(Holder.CODER, holder);

    assertThat(CoderUtils.decodeFromByteArray(Holder.CODER, encoded), is(holder));
    assertThat(encoded.length, is(16));
  }
}

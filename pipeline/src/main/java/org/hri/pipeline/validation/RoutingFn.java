package org.hri.pipeline.validation;

import org.apache.beam.sdk.transforms.DoFn;
import org.hri.pipeline.model.HriRecord;

/** The lifecycle both validation DoFns share: the validator's setup and teardown, counts per bundle. */
abstract class RoutingFn<InputT> extends DoFn<InputT, HriRecord> {
  protected final RouteAndCount routing;

  RoutingFn(RouteAndCount routing) {
    this.routing = routing;
  }

  @Setup
  public void setup() throws Exception {
    routing.setup();
  }

  @StartBundle
  public void startBundle() {
    routing.startBundle();
    bundleStarted();
  }

  /** What a subclass resets per bundle. */
  protected void bundleStarted() {}

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    routing.finishBundle(context);
  }

  @Teardown
  public void teardown() throws Exception {
    routing.teardown();
  }
}

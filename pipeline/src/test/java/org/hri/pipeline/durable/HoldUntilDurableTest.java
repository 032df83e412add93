package org.hri.pipeline.durable;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The decision what is durable is {@link DurableBundlesTest}'s; here, that every element gets through. */
@ExtendWith(TestPipelineExtension.class)
class HoldUntilDurableTest {
  private static final KvCoder<String, Integer> CODER = KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());

  @Test
  void passesEveryElementOnOnceItsBundleIsCommitted(TestPipeline p) {
    TestStream<KV<String, Integer>> input =
        TestStream.create(CODER)
            .addElements(KV.of("a", 1), KV.of("b", 1))
            .advanceProcessingTime(DurableBundles.RELEASE_PERIOD)
            .addElements(KV.of("a", 2))
            .advanceProcessingTime(DurableBundles.RELEASE_PERIOD)
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Integer>> released = p.apply(input).apply(HoldUntilDurable.of());

    PAssert.that(released).containsInAnyOrder(KV.of("a", 1), KV.of("b", 1), KV.of("a", 2));
    p.run().waitUntilFinish();
  }

  @Test
  void releasesWhatIsLeftWhenTheInputEnds(TestPipeline p) {
    PCollection<KV<String, Integer>> released =
        p.apply(Create.of(KV.of("a", 1), KV.of("a", 2), KV.of("b", 3)).withCoder(CODER))
            .apply(HoldUntilDurable.of());

    PAssert.that(released).containsInAnyOrder(KV.of("a", 1), KV.of("a", 2), KV.of("b", 3));
    p.run().waitUntilFinish();
  }
}

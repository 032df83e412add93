package org.hri.pipeline.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class BatchCountsTest {
  @Test
  void arithmetic() {
    assertThat(BatchCounts.ofValid(3), is(new BatchCounts(3, 0)));
    assertThat(BatchCounts.ofInvalid(2), is(new BatchCounts(0, 2)));
    assertThat(new BatchCounts(3, 4).total(), is(7L));
    assertThat(new BatchCounts(3, 4).plus(new BatchCounts(10, 20)), is(new BatchCounts(13, 24)));
  }

  @Test
  void coderRoundTrips() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(BatchCounts.Coder.of(), new BatchCounts(0, 0));
    CoderProperties.coderDecodeEncodeEqual(BatchCounts.Coder.of(), new BatchCounts(3_000_000_000L, 1));
    CoderProperties.coderDeterministic(BatchCounts.Coder.of(), new BatchCounts(5, 6), new BatchCounts(5, 6));
    CoderProperties.coderSerializable(BatchCounts.Coder.of());
  }
}

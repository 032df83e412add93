package org.hri.pipeline.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class BatchingUnboundedSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void listsHoldUpToTheMaximumInOrder() throws Exception {
    BatchingUnboundedSource<Long, CountingSource.CounterMark> source =
        new BatchingUnboundedSource<>(CountingSource.unbounded(), 5);
    try (UnboundedReader<List<Long>> reader = source.createReader(OPTIONS, null)) {
      assertThat(reader.start(), is(true));
      assertThat(reader.getCurrent(), is(range(0, 5)));
      assertThat(reader.advance(), is(true));
      assertThat(reader.getCurrent(), is(range(5, 10)));
    }
  }

  /** A checkpoint mark taken between two lists, encoded as a runner stores it, restores right after the list. */
  @Test
  void aReaderRestoredFromAMarkNeitherRepeatsNorSkips() throws Exception {
    BatchingUnboundedSource<Long, CountingSource.CounterMark> source =
        new BatchingUnboundedSource<>(CountingSource.unbounded(), 7);
    List<Long> read = new ArrayList<>();
    byte[] mark;
    try (UnboundedReader<List<Long>> reader = source.createReader(OPTIONS, null)) {
      reader.start();
      read.addAll(reader.getCurrent());
      reader.advance();
      read.addAll(reader.getCurrent());
      mark = encode(source.getCheckpointMarkCoder(), (CountingSource.CounterMark) reader.getCheckpointMark());
    }
    UnboundedSource<List<Long>, CountingSource.CounterMark> split = source.split(1, OPTIONS).get(0);
    try (UnboundedReader<List<Long>> restored =
        split.createReader(OPTIONS, decode(split.getCheckpointMarkCoder(), mark))) {
      restored.start();
      read.addAll(restored.getCurrent());
    }
    assertThat(read, is(range(0, 21)));
  }

  private static <M> byte[] encode(Coder<M> coder, M mark) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(mark, out);
    return out.toByteArray();
  }

  private static <M> M decode(Coder<M> coder, byte[] bytes) throws Exception {
    return coder.decode(new ByteArrayInputStream(bytes));
  }
}

package org.hri.pipeline.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Instant;

/**
 * An {@link UnboundedSource} that hands out what another one reads as lists of up to {@code maxRecords}
 * elements: one {@code advance()} of this reader is as many of the inner reader's as it has ready. Runners
 * that do work per {@code advance()} — Beam's Flink source wrapper updates all of the step's metrics after
 * each one — do it once per list.
 *
 * <p>A list is emitted whole, so a checkpoint mark taken between two {@code advance()} calls (the only time a
 * runner takes one) is the inner reader's mark after the list's last element: restoring from it neither
 * repeats nor skips an element. The list's timestamp is its first element's; the watermark is the inner
 * reader's. Sources that need deduplication by record id are refused.
 */
final class BatchingUnboundedSource<T, M extends UnboundedSource.CheckpointMark>
    extends UnboundedSource<List<T>, M> {
  private final UnboundedSource<T, M> inner;
  private final int maxRecords;

  BatchingUnboundedSource(UnboundedSource<T, M> inner, int maxRecords) {
    if (inner.requiresDeduping()) {
      throw new IllegalArgumentException("a source that requires deduplication cannot be batched");
    }
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords: at least 1, was " + maxRecords);
    }
    this.inner = inner;
    this.maxRecords = maxRecords;
  }

  @Override
  public List<BatchingUnboundedSource<T, M>> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    List<BatchingUnboundedSource<T, M>> splits = new ArrayList<>();
    for (UnboundedSource<T, M> split : inner.split(desiredNumSplits, options)) {
      splits.add(new BatchingUnboundedSource<>(split, maxRecords));
    }
    return splits;
  }

  @Override
  public UnboundedReader<List<T>> createReader(PipelineOptions options, M checkpointMark) throws IOException {
    return new Reader(inner.createReader(options, checkpointMark));
  }

  @Override
  public Coder<M> getCheckpointMarkCoder() {
    return inner.getCheckpointMarkCoder();
  }

  @Override
  public boolean requiresDeduping() {
    return false;
  }

  @Override
  public Coder<List<T>> getOutputCoder() {
    return ListCoder.of(inner.getOutputCoder());
  }

  private final class Reader extends UnboundedReader<List<T>> {
    private final UnboundedReader<T> reader;
    private List<T> current;
    private Instant currentTimestamp;

    Reader(UnboundedReader<T> reader) {
      this.reader = reader;
    }

    @Override
    public boolean start() throws IOException {
      return reader.start() ? fill() : none();
    }

    @Override
    public boolean advance() throws IOException {
      return reader.advance() ? fill() : none();
    }

    /** The inner reader has a current element: takes it and what else it has ready, up to the maximum. */
    private boolean fill() throws IOException {
      List<T> batch = new ArrayList<>(Math.min(maxRecords, 64));
      currentTimestamp = reader.getCurrentTimestamp();
      batch.add(reader.getCurrent());
      while (batch.size() < maxRecords && reader.advance()) {
        batch.add(reader.getCurrent());
      }
      current = batch;
      return true;
    }

    private boolean none() {
      current = null;
      currentTimestamp = null;
      return false;
    }

    @Override
    public List<T> getCurrent() {
      requireCurrent();
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      requireCurrent();
      return currentTimestamp;
    }

    private void requireCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
    }

    @Override
    public Instant getWatermark() {
      return reader.getWatermark();
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      return reader.getCheckpointMark();
    }

    @Override
    public UnboundedSource<List<T>, ?> getCurrentSource() {
      return BatchingUnboundedSource.this;
    }

    @Override
    public long getSplitBacklogBytes() {
      return reader.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return reader.getTotalBacklogBytes();
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}

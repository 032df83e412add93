package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Instant;

/**
 * Packs the records of a bundle into {@link HeaderEnvelope}s of at most {@code maxRecords} records or about
 * {@code maxBytes}, so the exactly-once sink commits one transaction per envelope rather than per record.
 */
final class PackRecordsFn extends DoFn<ProducerRecord<byte[], byte[]>, ProducerRecord<byte[], byte[]>> {
  private final int maxRecords;
  private final int maxBytes;
  private transient List<ProducerRecord<byte[], byte[]>> pending;
  private transient int pendingBytes;
  private transient Instant timestamp;
  private transient BoundedWindow window;

  PackRecordsFn(int maxRecords, int maxBytes) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  @StartBundle
  public void startBundle() {
    pending = new ArrayList<>();
    pendingBytes = 0;
  }

  @ProcessElement
  public void process(
      @Element ProducerRecord<byte[], byte[]> record, @Timestamp Instant elementTimestamp, BoundedWindow elementWindow,
      OutputReceiver<ProducerRecord<byte[], byte[]>> out) {
    pending.add(record);
    pendingBytes += (record.key() == null ? 0 : record.key().length)
        + (record.value() == null ? 0 : record.value().length);
    timestamp = timestamp == null || elementTimestamp.isBefore(timestamp) ? elementTimestamp : timestamp;
    window = elementWindow;
    if (pending.size() >= maxRecords || pendingBytes >= maxBytes) {
      out.output(HeaderEnvelope.wrap(pending)); // at this record's timestamp: an output may not go back in time
      pending = new ArrayList<>();
      pendingBytes = 0;
      timestamp = null;
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    if (!pending.isEmpty()) {
      context.output(HeaderEnvelope.wrap(pending), timestamp, window);
      pending = new ArrayList<>();
      pendingBytes = 0;
      timestamp = null;
    }
  }
}

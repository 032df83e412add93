package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaUnboundedSources;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.HriRecordCoder;

/** Reads the input topic as raw bytes with headers; parsing is the validators' business. */
public final class ReadHriRecords extends PTransform<PBegin, PCollection<HriRecord>> {
  private final KafkaSettings settings;

  private ReadHriRecords(KafkaSettings settings) {
    this.settings = settings;
  }

  public static ReadHriRecords from(KafkaSettings settings) {
    return new ReadHriRecords(settings);
  }

  /**
   * At most this many records per {@code advance()} of the source: Beam's Flink source wrapper rebuilds all of
   * the step's metric results after every {@code advance()}, which cost more than the rest of the read
   * (docs/performance.md).
   */
  static final int RECORDS_PER_ADVANCE = 1_000;

  @Override
  public PCollection<HriRecord> expand(PBegin begin) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(settings.brokers())
            .withTopic(settings.topics().input())
            .withKeyDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
            .withValueDeserializerAndCoder(ByteArrayDeserializer.class, NullableCoder.of(ByteArrayCoder.of()))
            .withConsumerConfigUpdates(settings.consumer())
            .withReadCommitted()
            .commitOffsetsInFinalize();
    return begin
        .apply(
            "ReadInputTopic",
            Read.from(new BatchingUnboundedSource<>(KafkaUnboundedSources.of(read), RECORDS_PER_ADVANCE)))
        .apply("ToHriRecords", ParDo.of(new ToHriRecordsFn()))
        .setCoder(HriRecordCoder.of());
  }

  /** One list of the batched read to its records, each with the list's timestamp. */
  static final class ToHriRecordsFn extends DoFn<List<KafkaRecord<byte[], byte[]>>, HriRecord> {
    @ProcessElement
    public void process(@Element List<KafkaRecord<byte[], byte[]>> records, OutputReceiver<HriRecord> out) {
      for (KafkaRecord<byte[], byte[]> record : records) {
        out.output(toHriRecord(record));
      }
    }

    static HriRecord toHriRecord(KafkaRecord<byte[], byte[]> record) {
      List<HriHeader> headers = new ArrayList<>();
      if (record.getHeaders() != null) {
        for (Header header : record.getHeaders()) {
          headers.add(new HriHeader(header.key(), header.value()));
        }
      }
      return new HriRecord(
          headers, record.getKV().getKey(), record.getKV().getValue(), record.getTopic(),
          record.getPartition(), record.getOffset());
    }
  }
}

package org.hri.pipeline.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
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

  @Override
  public PCollection<HriRecord> expand(PBegin begin) {
    return begin
        .apply(
            "ReadInputTopic",
            KafkaIO.<byte[], byte[]>read()
                .withBootstrapServers(settings.brokers())
                .withTopic(settings.topics().input())
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(settings.consumer())
                .withReadCommitted()
                .commitOffsetsInFinalize())
        .apply("ToHriRecords", ParDo.of(new ToHriRecordFn()))
        .setCoder(HriRecordCoder.of());
  }

  static final class ToHriRecordFn extends DoFn<KafkaRecord<byte[], byte[]>, HriRecord> {
    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<HriRecord> out) {
      List<HriHeader> headers = new ArrayList<>();
      if (record.getHeaders() != null) {
        for (Header header : record.getHeaders()) {
          headers.add(new HriHeader(header.key(), header.value()));
        }
      }
      out.output(
          new HriRecord(
              headers, record.getKV().getKey(), record.getKV().getValue(), record.getTopic(),
              record.getPartition(), record.getOffset()));
    }
  }
}

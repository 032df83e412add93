package org.hri.pipeline.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;

/**
 * How each output becomes a Kafka record. Partitions and timestamps are left to the producer: the source
 * partition has nothing to do with the output topic's partitions.
 */
public final class ProducerRecords {
  private ProducerRecords() {}

  /** A valid record for {@code *.out}: key, value and headers unchanged. */
  public static SerializableFunction<HriRecord, ProducerRecord<byte[], byte[]>> validRecord(String topic) {
    return record -> {
      List<Header> headers = new ArrayList<>(record.headers().size());
      for (HriHeader header : record.headers()) {
        headers.add(new RecordHeader(header.key(), header.value()));
      }
      return new ProducerRecord<>(topic, null, null, record.key(), record.value(), headers);
    };
  }

  /** An invalid-record notice for {@code *.invalid}: no key, the JSON notice, a batchId header when known. */
  public static SerializableFunction<InvalidRecord, ProducerRecord<byte[], byte[]>> invalidRecord(String topic) {
    return invalid -> {
      List<Header> headers =
          invalid.batchId() == null
              ? List.of()
              : List.of(new RecordHeader(HriRecord.BATCH_ID_HEADER, invalid.batchId().getBytes(StandardCharsets.UTF_8)));
      return new ProducerRecord<>(topic, null, null, null, invalid.toJson(), headers);
    };
  }

  /** A dead letter: key = its subject (a batch id or a notification's position), value = its JSON. */
  public static SerializableFunction<DeadLetter, ProducerRecord<byte[], byte[]>> deadLetter(String topic) {
    return letter ->
        new ProducerRecord<>(topic, null, null, letter.subject().getBytes(StandardCharsets.UTF_8), letter.toJson());
  }

  /**
   * A verdict written straight to {@code *.notification} in standalone mode, the way the Management API
   * writes notifications: key = batch id, {@code endDate} = now.
   */
  public static SerializableFunction<BatchNotification, ProducerRecord<byte[], byte[]>> notification(String topic) {
    return verdict -> {
      BatchNotification ended =
          verdict.withVerdict(
              verdict.status(), verdict.actualRecordCount(), verdict.invalidRecordCount(), verdict.failureMessage(),
              OffsetDateTime.now(Clock.systemUTC()));
      return new ProducerRecord<>(topic, null, null, verdict.id().getBytes(StandardCharsets.UTF_8), ended.toJson());
    };
  }
}

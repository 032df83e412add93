package org.hri.pipeline.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.emptyArray;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.model.Json;
import org.junit.jupiter.api.Test;

/** How valid records, invalid-record notices and verdicts become Kafka records. */
class ProducerRecordsTest {
  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void validRecordKeepsKeyValueAndHeadersInOrder() {
    HriRecord record =
        new HriRecord(
            List.of(
                new HriHeader("batchId", utf8("7902")),
                new HriHeader("testUtf8あいうえおか", utf8("中文")),
                new HriHeader("empty", null),
                new HriHeader("passThru", utf8("中文 value"))),
            utf8("中文 key"),
            utf8("{\"resourceType\":\"Patient\",\"name\":\"中文\"}"),
            "ingest.22.da3.in",
            7,
            3_000_000_000L);

    ProducerRecord<byte[], byte[]> out = ProducerRecords.validRecord("ingest.22.da3.out").apply(record);

    assertThat(out.topic(), is("ingest.22.da3.out"));
    assertThat(out.partition(), nullValue());
    assertThat(out.timestamp(), nullValue());
    assertThat(out.key(), is(utf8("中文 key")));
    assertThat(out.value(), is(utf8("{\"resourceType\":\"Patient\",\"name\":\"中文\"}")));
    assertThat(
        out.headers().toArray(),
        arrayContaining(
            new RecordHeader("batchId", utf8("7902")),
            new RecordHeader("testUtf8あいうえおか", utf8("中文")),
            new RecordHeader("empty", (byte[]) null),
            new RecordHeader("passThru", utf8("中文 value"))));
    Header last = out.headers().toArray()[3];
    assertThat(new String(last.value(), UTF_8), is("中文 value"));
  }

  @Test
  void validRecordKeepsNullKeyValueAndNoHeaders() {
    HriRecord record = new HriRecord(null, null, null, "ingest.22.da3.in", 0, 0);
    ProducerRecord<byte[], byte[]> out = ProducerRecords.validRecord("ingest.22.da3.out").apply(record);
    assertThat(out.key(), nullValue());
    assertThat(out.value(), nullValue());
    assertThat(out.headers().toArray(), emptyArray());
    assertThat(out.partition(), nullValue());
    assertThat(out.timestamp(), nullValue());
  }

  @Test
  void invalidRecordHasNullKeyJsonValueAndABatchIdHeader() {
    InvalidRecord invalid = new InvalidRecord("7902", "ingest.22.da3.in", 10, 3_000_000_000L, "batch unknown");

    ProducerRecord<byte[], byte[]> out = ProducerRecords.invalidRecord("ingest.22.da3.invalid").apply(invalid);

    assertThat(out.topic(), is("ingest.22.da3.invalid"));
    assertThat(out.key(), nullValue());
    assertThat(
        new String(out.value(), UTF_8),
        is(
            "{\"batchId\":\"7902\",\"topic\":\"ingest.22.da3.in\",\"partition\":10,\"offset\":3000000000,"
                + "\"failure\":\"batch unknown\"}"));
    assertThat(out.headers().toArray(), arrayContaining(new RecordHeader("batchId", utf8("7902"))));
    assertThat(out.partition(), nullValue());
    assertThat(out.timestamp(), nullValue());
  }

  @Test
  void invalidRecordBatchIdHeaderIsUtf8() {
    InvalidRecord invalid = new InvalidRecord("批次-中文", "ingest.22.da3.in", 0, 1, "invalid json");
    ProducerRecord<byte[], byte[]> out = ProducerRecords.invalidRecord("ingest.22.da3.invalid").apply(invalid);
    assertThat(out.headers().toArray(), arrayContaining(new RecordHeader("batchId", utf8("批次-中文"))));
  }

  @Test
  void invalidRecordWithoutBatchIdHasNoHeaders() {
    InvalidRecord invalid =
        new InvalidRecord(null, "ingest.22.da3.in", 10, 134, "Bad Message - No header or batchId node");

    ProducerRecord<byte[], byte[]> out = ProducerRecords.invalidRecord("ingest.22.da3.invalid").apply(invalid);

    assertThat(out.key(), nullValue());
    assertThat(out.headers().toArray(), emptyArray());
    assertThat(
        new String(out.value(), UTF_8),
        is(
            "{\"topic\":\"ingest.22.da3.in\",\"partition\":10,\"offset\":134,"
                + "\"failure\":\"Bad Message - No header or batchId node\"}"));
    assertThat(out.partition(), nullValue());
  }

  @Test
  void notificationIsKeyedByBatchIdAndEndsNow() throws Exception {
    JsonNode metadata = Json.mapper().readTree("{\"source\":\"中文\",\"n\":[1,2]}");
    OffsetDateTime start = OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC);
    OffsetDateTime staleEnd = OffsetDateTime.of(2021, 3, 4, 6, 0, 0, 0, ZoneOffset.UTC);
    BatchNotification verdict =
        new BatchNotification(
            "7902", "名前", "integrator-1", "ingest.22.da3.in", "claims", BatchStatus.FAILED, start, staleEnd, 100L,
            100L, 101L, 5L, 1L, metadata,
            "Failing batch: 7902, received too many records, actualRecordCount: 101 > expectedRecordCount: 100");

    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    ProducerRecord<byte[], byte[]> out = ProducerRecords.notification("ingest.22.da3.notification").apply(verdict);
    OffsetDateTime after = OffsetDateTime.now(ZoneOffset.UTC);

    assertThat(out.topic(), is("ingest.22.da3.notification"));
    assertThat(out.key(), is(utf8("7902")));
    assertThat(out.headers().toArray(), emptyArray());
    assertThat(out.partition(), nullValue());
    assertThat(out.timestamp(), nullValue());

    String json = new String(out.value(), UTF_8);
    String endDate = Json.mapper().readTree(json).get("endDate").asText();
    assertThat(endDate, matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));

    BatchNotification written = BatchNotification.fromJson(out.value());
    assertThat(written.endDate().getOffset(), is(ZoneOffset.UTC));
    assertThat(written.endDate(), greaterThanOrEqualTo(before));
    assertThat(written.endDate(), lessThanOrEqualTo(after));
    assertThat(
        written,
        is(
            new BatchNotification(
                "7902", "名前", "integrator-1", "ingest.22.da3.in", "claims", BatchStatus.FAILED, start,
                written.endDate(), 100L, 100L, 101L, 5L, 1L, metadata,
                "Failing batch: 7902, received too many records, actualRecordCount: 101 > expectedRecordCount: 100")));
  }

  @Test
  void completedNotificationWithoutEndDateGetsOne() throws Exception {
    BatchNotification verdict =
        new BatchNotification(
            "b-1", "n", "i", "ingest.22.da3.in", "claims", BatchStatus.COMPLETED,
            OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC), null, null, 3L, 3L, -1L, 0L, null, null);
    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    ProducerRecord<byte[], byte[]> out = ProducerRecords.notification("t.notification").apply(verdict);
    BatchNotification written = BatchNotification.fromJson(out.value());
    assertThat(out.key(), is(utf8("b-1")));
    assertThat(written.endDate(), greaterThanOrEqualTo(before));
    assertThat(written.status(), is(BatchStatus.COMPLETED));
    assertThat(written.failureMessage(), nullValue());
    assertThat(written.actualRecordCount(), is(3L));
    assertThat(written.invalidRecordCount(), is(0L));
  }

  @Test
  void functionsAreSerializable() {
    List<SerializableFunction<?, ?>> functions =
        List.of(
            ProducerRecords.validRecord("a.out"),
            ProducerRecords.invalidRecord("a.invalid"),
            ProducerRecords.notification("a.notification"));
    functions.forEach(SerializableUtils::ensureSerializable);
  }

  @Test
  void aDeadLetterIsKeyedByItsSubject() throws Exception {
    DeadLetter letter = DeadLetter.malformedNotification("ingest.t1.c.notification-0@4", "Notification has no id");

    ProducerRecord<byte[], byte[]> record = ProducerRecords.deadLetter("ingest.t1.c.deadletter").apply(letter);

    assertThat(record.topic(), is("ingest.t1.c.deadletter"));
    assertThat(new String(record.key(), UTF_8), is("ingest.t1.c.notification-0@4"));
    assertThat(DeadLetter.fromJson(record.value()), is(letter));
    assertThat(record.headers().toArray(), emptyArray());
  }
}

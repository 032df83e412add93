package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch notification JSON, read and written. */
class BatchNotificationTest {
  private static final OffsetDateTime START = OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC);
  private static final OffsetDateTime END = OffsetDateTime.of(2021, 3, 4, 6, 0, 0, 0, ZoneOffset.UTC);

  private static final String FULL_JSON =
      "{\"id\":\"7902\",\"name\":\"名前 batch\",\"integratorId\":\"integrator-1\",\"topic\":\"ingest.22.da3.in\","
          + "\"dataType\":\"claims 中文\",\"status\":\"failed\",\"startDate\":\"2021-03-04T05:06:07Z\","
          + "\"endDate\":\"2021-03-04T06:00:00Z\",\"recordCount\":100,\"expectedRecordCount\":100,"
          + "\"actualRecordCount\":101,\"invalidThreshold\":5,\"invalidRecordCount\":2,"
          + "\"metadata\":{\"compression\":\"gzip\",\"nested\":{\"list\":[1,\"二\",null,true]}},"
          + "\"failureMessage\":\"\"}";

  private static JsonNode metadata() throws IOException {
    return Json.mapper().readTree("{\"compression\":\"gzip\",\"nested\":{\"list\":[1,\"二\",null,true]}}");
  }

  private static BatchNotification full() throws IOException {
    return new BatchNotification(
        "7902", "名前 batch", "integrator-1", "ingest.22.da3.in", "claims 中文", BatchStatus.FAILED, START, END, 100L,
        100L, 101L, 5L, 2L, metadata(), "");
  }

  private static BatchNotification parse(String json) throws IOException {
    return BatchNotification.fromJson(json.getBytes(UTF_8));
  }

  private static String write(BatchNotification notification) {
    return new String(notification.toJson(), UTF_8);
  }

  @Test
  void readsEveryField() throws Exception {
    BatchNotification n = parse(FULL_JSON);
    assertThat(n.id(), is("7902"));
    assertThat(n.name(), is("名前 batch"));
    assertThat(n.integratorId(), is("integrator-1"));
    assertThat(n.topic(), is("ingest.22.da3.in"));
    assertThat(n.dataType(), is("claims 中文"));
    assertThat(n.status(), is(BatchStatus.FAILED));
    assertThat(n.startDate(), is(START));
    assertThat(n.endDate(), is(END));
    assertThat(n.recordCount(), is(100L));
    assertThat(n.expectedRecordCount(), is(100L));
    assertThat(n.actualRecordCount(), is(101L));
    assertThat(n.invalidThreshold(), is(5L));
    assertThat(n.invalidRecordCount(), is(2L));
    assertThat(n.metadata(), is(metadata()));
    assertThat(n.failureMessage(), is(""));
    assertThat(n, is(full()));
  }

  @Test
  void writesEveryFieldInSchemaOrder() throws Exception {
    assertThat(write(full()), is(FULL_JSON));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    BatchNotification n = full();
    assertThat(BatchNotification.fromJson(n.toJson()), is(n));
    assertThat(write(parse(FULL_JSON)), is(FULL_JSON));
  }

  @Test
  void writesUtf8() throws Exception {
    byte[] json = full().toJson();
    assertThat(new String(json, UTF_8), containsString("\"name\":\"名前 batch\""));
    assertThat(new String(json, UTF_8), containsString("\"dataType\":\"claims 中文\""));
  }

  @Test
  void leavesNullFieldsOut() throws Exception {
    BatchNotification started =
        new BatchNotification(
            "b1", "n", "i", "ingest.1.fhir.in", "claims", BatchStatus.STARTED, START, null, null, null, null, null,
            null, null, null);
    assertThat(
        write(started),
        is(
            "{\"id\":\"b1\",\"name\":\"n\",\"integratorId\":\"i\",\"topic\":\"ingest.1.fhir.in\","
                + "\"dataType\":\"claims\",\"status\":\"started\",\"startDate\":\"2021-03-04T05:06:07Z\","
                + "\"invalidThreshold\":-1}"));
    assertThat(BatchNotification.fromJson(started.toJson()), is(started));
  }

  @Test
  void v1NotificationHasNoThresholdAndUsesRecordCount() throws Exception {
    BatchNotification n =
        parse(
            "{\"id\":\"b1\",\"name\":\"n\",\"integratorId\":\"i\",\"topic\":\"ingest.1.fhir\",\"dataType\":\"claims\","
                + "\"status\":\"completed\",\"startDate\":\"2019-10-30T12:34:56Z\",\"recordCount\":42}");
    assertThat(n.invalidThreshold(), is(-1L));
    assertThat(n.invalidThreshold(), is(BatchNotification.NO_THRESHOLD));
    assertThat(n.recordCount(), is(42L));
    assertThat(n.expectedRecordCount(), nullValue());
    assertThat(n.expectedCount(), is(42L));
  }

  @Test
  void expectedRecordCountWinsOverRecordCount() throws Exception {
    BatchNotification n =
        parse("{\"id\":\"b1\",\"status\":\"sendCompleted\",\"recordCount\":42,\"expectedRecordCount\":40}");
    assertThat(n.expectedCount(), is(40L));
  }

  @Test
  void expectedCountIsNullBeforeSendComplete() throws Exception {
    assertThat(parse("{\"id\":\"b1\",\"status\":\"started\"}").expectedCount(), nullValue());
  }

  @Test
  void explicitNullThresholdMeansNoThreshold() throws Exception {
    assertThat(parse("{\"id\":\"b1\",\"status\":\"started\",\"invalidThreshold\":null}").invalidThreshold(), is(-1L));
  }

  @Test
  void ignoresUnknownFields() throws Exception {
    BatchNotification n =
        parse(
            "{\"id\":\"b1\",\"newField\":{\"deep\":[1,2,{\"x\":null}]},\"status\":\"started\",\"other\":7,"
                + "\"invalidThreshold\":3}");
    assertThat(n.id(), is("b1"));
    assertThat(n.status(), is(BatchStatus.STARTED));
    assertThat(n.invalidThreshold(), is(3L));
    assertThat(write(n), not(containsString("newField")));
  }

  @Test
  void readsFractionalSecondsAndOffsetsAndWritesWholeSecondUtc() throws Exception {
    BatchNotification n =
        parse(
            "{\"id\":\"b1\",\"status\":\"completed\",\"startDate\":\"2020-03-04T05:06:07.891+02:00\","
                + "\"endDate\":\"2021-12-31T22:30:00.5-05:00\"}");
    assertThat(n.startDate().toInstant(), is(Instant.parse("2020-03-04T03:06:07.891Z")));
    assertThat(n.endDate().toInstant(), is(Instant.parse("2022-01-01T03:30:00.500Z")));
    String json = write(n);
    assertThat(json, containsString("\"startDate\":\"2020-03-04T03:06:07Z\""));
    assertThat(json, containsString("\"endDate\":\"2022-01-01T03:30:00Z\""));
  }

  @Test
  void readsMillisecondsInUtc() throws Exception {
    BatchNotification n = parse("{\"id\":\"b1\",\"status\":\"started\",\"startDate\":\"2020-01-01T12:00:00.000Z\"}");
    assertThat(n.startDate().toInstant(), is(Instant.parse("2020-01-01T12:00:00Z")));
    assertThat(write(n), containsString("\"startDate\":\"2020-01-01T12:00:00Z\""));
  }

  @Test
  void writesADateWithAnOffsetAsUtc() {
    BatchNotification n =
        new BatchNotification(
            "b1", null, null, null, null, BatchStatus.STARTED,
            OffsetDateTime.of(2020, 3, 4, 5, 6, 7, 999_000_000, ZoneOffset.ofHours(2)), null, null, null, null, null,
            null, null, null);
    assertThat(
        write(n), is("{\"id\":\"b1\",\"status\":\"started\",\"startDate\":\"2020-03-04T03:06:07Z\",\"invalidThreshold\":-1}"));
  }

  @Test
  void readsEveryStatus() throws Exception {
    assertThat(parse("{\"id\":\"b\",\"status\":\"started\"}").status(), is(BatchStatus.STARTED));
    assertThat(parse("{\"id\":\"b\",\"status\":\"sendCompleted\"}").status(), is(BatchStatus.SEND_COMPLETED));
    assertThat(parse("{\"id\":\"b\",\"status\":\"completed\"}").status(), is(BatchStatus.COMPLETED));
    assertThat(parse("{\"id\":\"b\",\"status\":\"terminated\"}").status(), is(BatchStatus.TERMINATED));
    assertThat(parse("{\"id\":\"b\",\"status\":\"failed\"}").status(), is(BatchStatus.FAILED));
  }

  @Test
  void rejectsAMissingId() {
    IOException e = assertThrows(IOException.class, () -> parse("{\"name\":\"n\",\"status\":\"started\"}"));
    assertThat(e.getMessage(), is("Notification has no id"));
  }

  @Test
  void rejectsAnEmptyId() {
    IOException e = assertThrows(IOException.class, () -> parse("{\"id\":\"\",\"status\":\"started\"}"));
    assertThat(e.getMessage(), is("Notification has no id"));
  }

  @Test
  void rejectsAMissingStatus() {
    IOException e = assertThrows(IOException.class, () -> parse("{\"id\":\"b1\",\"name\":\"n\"}"));
    assertThat(e.getMessage(), is("Notification has no status"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"done", "STARTED", "Completed", ""})
  void rejectsAnUnknownStatus(String status) {
    assertThrows(IOException.class, () -> parse("{\"id\":\"b1\",\"status\":\"" + status + "\"}"));
  }

  @Test
  void rejectsJsonNull() {
    IOException e = assertThrows(IOException.class, () -> parse("null"));
    assertThat(e.getMessage(), is("Notification is JSON null"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "not json", "[1,2]", "\"started\"", "{\"id\":\"b1\",\"status\":\"started\",}"})
  void rejectsMalformedJson(String json) {
    assertThrows(IOException.class, () -> parse(json));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\":\"n3\",\"status\":\"sendCompleted\",\"expectedRecordCount\":-5}"
            + "|Notification field expectedRecordCount is below 0",
        "{\"id\":\"b\",\"status\":\"started\",\"invalidThreshold\":-2}|Notification field invalidThreshold is below -1",
        "{\"id\":\"b\",\"status\":\"started\",\"recordCount\":1.5}|Notification field recordCount is not a whole number",
        "{\"id\":\"b\",\"status\":\"started\",\"recordCount\":\"5\"}|Notification field recordCount is not a whole number",
        "{\"id\":\"b\",\"status\":\"started\",\"actualRecordCount\":1e30}"
            + "|Notification field actualRecordCount is not a whole number",
        "{\"id\":7,\"status\":\"started\"}|Notification field id is not a string",
        "{\"id\":\"b\",\"status\":[\"started\"]}|Notification field status is not a string",
        "{\"id\":\"b\\u0000\",\"status\":\"started\"}|Notification id is not a valid batch id",
        "{\"id\":\"b\",\"status\":\"halfway\"}|Notification is malformed (ValueInstantiationException)",
        "[1,2]|Notification is not a JSON object",
      })
  void rejectsWrongTypesAndValuesNamingTheFieldOnly(String json, String message) {
    InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> parse(json));
    assertThat(e.getMessage(), is(message));
  }

  @Test
  void rejectsMoreThanOneMegabyte() {
    String big = "{\"id\":\"b\",\"status\":\"started\",\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
    InvalidNotificationException e = assertThrows(InvalidNotificationException.class, () -> parse(big));
    assertThat(e.getMessage(), is("Notification is larger than 1 MB"));
  }

  @Test
  void acceptsZeroCountsAndTheNoThresholdValue() throws IOException {
    BatchNotification n =
        parse("{\"id\":\"b\",\"status\":\"sendCompleted\",\"expectedRecordCount\":0,\"invalidThreshold\":-1}");
    assertThat(n.expectedCount(), is(0L));
  }

  @Test
  void withVerdictSetsStatusCountsMessageAndEndDateOnly() throws Exception {
    BatchNotification sendCompleted =
        new BatchNotification(
            "7902", "名前 batch", "integrator-1", "ingest.22.da3.in", "claims 中文", BatchStatus.SEND_COMPLETED, START,
            null, 100L, 100L, null, 5L, null, metadata(), null);
    BatchNotification failed = sendCompleted.withVerdict(BatchStatus.FAILED, 101, 1, "too many", END);
    assertThat(
        failed,
        is(
            new BatchNotification(
                "7902", "名前 batch", "integrator-1", "ingest.22.da3.in", "claims 中文", BatchStatus.FAILED, START, END,
                100L, 100L, 101L, 5L, 1L, metadata(), "too many")));
    // The original is unchanged.
    assertThat(sendCompleted.status(), is(BatchStatus.SEND_COMPLETED));
    assertThat(sendCompleted.actualRecordCount(), nullValue());
    assertThat(sendCompleted.endDate(), nullValue());
  }

  @Test
  void withVerdictDropsAnOldFailureMessage() throws Exception {
    BatchNotification completed = full().withVerdict(BatchStatus.COMPLETED, 100, 0, null, END);
    assertThat(completed.failureMessage(), nullValue());
    assertThat(write(completed), not(containsString("failureMessage")));
  }

  @Test
  void coderRoundTrips() throws Exception {
    BatchNotificationCoder coder = BatchNotificationCoder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, full());
    CoderProperties.coderDecodeEncodeEqual(coder, parse("{\"id\":\"b1\",\"status\":\"started\"}"));
    CoderProperties.coderDecodeEncodeEqual(
        coder, parse("{\"id\":\"中文\",\"status\":\"terminated\",\"name\":\"あいうえお\",\"dataType\":\"中文\"}"));
    CoderProperties.coderSerializable(coder);
  }

  @Test
  void coderWritesTheJson() throws Exception {
    // The state coder stores the notification's JSON (length-prefixed), so new optional fields stay readable.
    java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
    BatchNotificationCoder.of().encode(full(), encoded);
    java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
    org.apache.beam.sdk.coders.ByteArrayCoder.of().encode(FULL_JSON.getBytes(UTF_8), json);
    assertThat(encoded.toByteArray(), is(json.toByteArray()));
  }
}

package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** The invalid-record notice JSON. */
class InvalidRecordTest {
  private static String write(InvalidRecord invalid) {
    return new String(invalid.toJson(), UTF_8);
  }

  private static InvalidRecord parse(String json) throws Exception {
    return InvalidRecord.fromJson(json.getBytes(UTF_8));
  }

  @Test
  void writesTheSpecExampleInFieldOrder() {
    assertThat(
        write(new InvalidRecord("7902", "ingest.1.fhir.in", 10, 134, "batch unknown")),
        is("{\"batchId\":\"7902\",\"topic\":\"ingest.1.fhir.in\",\"partition\":10,\"offset\":134,\"failure\":\"batch unknown\"}"));
  }

  @Test
  void leavesANullBatchIdOut() {
    assertThat(
        write(new InvalidRecord(null, "ingest.1.fhir.in", 10, 134, "invalid json")),
        is("{\"topic\":\"ingest.1.fhir.in\",\"partition\":10,\"offset\":134,\"failure\":\"invalid json\"}"));
  }

  @Test
  void keepsAnOffsetAbove32Bits() throws Exception {
    InvalidRecord invalid = new InvalidRecord("7902", "ingest.1.fhir.in", 0, 3_000_000_000L, "x");
    assertThat(
        write(invalid),
        is("{\"batchId\":\"7902\",\"topic\":\"ingest.1.fhir.in\",\"partition\":0,\"offset\":3000000000,\"failure\":\"x\"}"));
    assertThat(InvalidRecord.fromJson(invalid.toJson()).offset(), is(3_000_000_000L));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    InvalidRecord invalid =
        new InvalidRecord(
            "批次-1", "ingest.22.da3.in", 7, Long.MAX_VALUE,
            "java.lang.IllegalArgumentException: \"中文\" is not valid\n\tat a.b.C.d(C.java:1)\n");
    assertThat(InvalidRecord.fromJson(invalid.toJson()), is(invalid));
    assertThat(
        write(invalid),
        is(
            "{\"batchId\":\"批次-1\",\"topic\":\"ingest.22.da3.in\",\"partition\":7,\"offset\":9223372036854775807,"
                + "\"failure\":\"java.lang.IllegalArgumentException: \\\"中文\\\" is not valid\\n\\tat a.b.C.d(C.java:1)\\n\"}"));
  }

  @Test
  void nullFailureIsKeptAsNull() throws Exception {
    InvalidRecord invalid = new InvalidRecord("7902", "t.in", 1, 2, null);
    assertThat(write(invalid), is("{\"batchId\":\"7902\",\"topic\":\"t.in\",\"partition\":1,\"offset\":2}"));
    assertThat(InvalidRecord.fromJson(invalid.toJson()), is(invalid));
  }

  @Test
  void readsTheSpecExamplesAndIgnoresUnknownFields() throws Exception {
    assertThat(
        parse("{\"batchId\":\"7902\",\"topic\":\"ingest.1.fhir.in\",\"partition\":10,\"offset\":134,\"failure\":\"batch unknown\"}"),
        is(new InvalidRecord("7902", "ingest.1.fhir.in", 10, 134, "batch unknown")));
    InvalidRecord noBatch =
        parse("{\"topic\":\"ingest.1.fhir.in\",\"partition\":10,\"offset\":134,\"failure\":\"invalid json\",\"x\":1}");
    assertThat(noBatch.batchId(), nullValue());
    assertThat(noBatch, is(new InvalidRecord(null, "ingest.1.fhir.in", 10, 134, "invalid json")));
  }

  @Test
  void ofTakesThePositionOfTheRecordButNotItsPayload() {
    HriRecord record =
        new HriRecord(
            List.of(new HriHeader("batchId", "7902".getBytes(UTF_8))), "k".getBytes(UTF_8),
            "{\"secret\":1}".getBytes(UTF_8), "ingest.22.da3.in", 4, 3_000_000_000L);
    InvalidRecord invalid = InvalidRecord.of(record, "7902", "Bad Message - Unknown batchId");
    assertThat(invalid, is(new InvalidRecord("7902", "ingest.22.da3.in", 4, 3_000_000_000L, "Bad Message - Unknown batchId")));
    assertThat(
        write(invalid),
        is(
            "{\"batchId\":\"7902\",\"topic\":\"ingest.22.da3.in\",\"partition\":4,\"offset\":3000000000,"
                + "\"failure\":\"Bad Message - Unknown batchId\"}"));
  }

  @Test
  void coderRoundTrips() throws Exception {
    InvalidRecordCoder coder = InvalidRecordCoder.of();
    CoderProperties.coderDecodeEncodeEqual(coder, new InvalidRecord("7902", "ingest.1.fhir.in", 10, 134, "batch unknown"));
    CoderProperties.coderDecodeEncodeEqual(coder, new InvalidRecord(null, "ingest.1.fhir.in", 0, 3_000_000_000L, null));
    CoderProperties.coderDecodeEncodeEqual(coder, new InvalidRecord("中文", "t.in", -1, Long.MAX_VALUE, "多行\n失败"));
    CoderProperties.coderDeterministic(
        coder, new InvalidRecord("a", "t", 1, 2, "f"), new InvalidRecord("a", "t", 1, 2, "f"));
    CoderProperties.coderSerializable(coder);
  }
}

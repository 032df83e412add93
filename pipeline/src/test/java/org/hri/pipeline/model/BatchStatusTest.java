package org.hri.pipeline.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class BatchStatusTest {
  @Test
  void jsonNames() throws Exception {
    assertThat(BatchStatus.fromJson("started"), is(BatchStatus.STARTED));
    assertThat(BatchStatus.fromJson("sendCompleted"), is(BatchStatus.SEND_COMPLETED));
    assertThat(BatchStatus.fromJson("completed"), is(BatchStatus.COMPLETED));
    assertThat(BatchStatus.fromJson("terminated"), is(BatchStatus.TERMINATED));
    assertThat(BatchStatus.fromJson("failed"), is(BatchStatus.FAILED));
    for (BatchStatus status : BatchStatus.values()) {
      assertThat(status.toString(), is(status.json()));
      assertThat(new String(Json.mapper().writeValueAsBytes(status), UTF_8), is("\"" + status.json() + "\""));
      assertThat(Json.mapper().readValue("\"" + status.json() + "\"", BatchStatus.class), is(status));
    }
  }

  @Test
  void unknownNameIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchStatus.fromJson("SENDCOMPLETED"));
    assertThat(e.getMessage(), is("Unknown batch status"));
    assertThrows(IllegalArgumentException.class, () -> BatchStatus.fromJson(null));
  }

  @Test
  void finalStatuses() {
    assertThat(BatchStatus.STARTED.isFinal(), is(false));
    assertThat(BatchStatus.SEND_COMPLETED.isFinal(), is(false));
    assertThat(BatchStatus.COMPLETED.isFinal(), is(true));
    assertThat(BatchStatus.TERMINATED.isFinal(), is(true));
    assertThat(BatchStatus.FAILED.isFinal(), is(true));
  }

  @Test
  void statusesOnlyMoveForward() {
    BatchStatus started = BatchStatus.STARTED;
    BatchStatus sendCompleted = BatchStatus.SEND_COMPLETED;
    BatchStatus completed = BatchStatus.COMPLETED;
    BatchStatus terminated = BatchStatus.TERMINATED;
    BatchStatus failed = BatchStatus.FAILED;
    for (BatchStatus status : BatchStatus.values()) {
      assertThat(status.supersedes(null), is(true));
      assertThat(status.supersedes(status), is(true));
    }
    assertThat(sendCompleted.supersedes(started), is(true));
    assertThat(started.supersedes(sendCompleted), is(false));
    assertThat(completed.supersedes(sendCompleted), is(true));
    assertThat(sendCompleted.supersedes(completed), is(false));
    assertThat(started.supersedes(completed), is(false));
    assertThat(terminated.supersedes(started), is(true));
    assertThat(terminated.supersedes(sendCompleted), is(true));
    assertThat(failed.supersedes(sendCompleted), is(true));
    // The Management API allows completed -> failed.
    assertThat(failed.supersedes(completed), is(true));
    assertThat(completed.supersedes(failed), is(false));
    assertThat(completed.supersedes(terminated), is(false));
    assertThat(sendCompleted.supersedes(terminated), is(false));
    assertThat(started.supersedes(failed), is(false));
  }

  @Test
  void coderRoundTripsAndEncodesTheJsonName() throws Exception {
    for (BatchStatus status : BatchStatus.values()) {
      CoderProperties.coderDecodeEncodeEqual(BatchStatusCoder.of(), status);
      // Encoded by name, not by ordinal: stable when statuses are added or reordered.
      ByteArrayOutputStream byStatus = new ByteArrayOutputStream();
      BatchStatusCoder.of().encode(status, byStatus);
      ByteArrayOutputStream byName = new ByteArrayOutputStream();
      StringUtf8Coder.of().encode(status.json(), byName);
      assertThat(byStatus.toByteArray(), is(byName.toByteArray()));
    }
    CoderProperties.coderSerializable(BatchStatusCoder.of());
  }
}

package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.joda.time.Duration;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.StderrCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A job that fails while it holds records — here because {@code *.out} refuses them as too large, an operator's
 * misconfiguration the job cannot mend — fails without a payload in its log or in its failure.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FailingJobTest {
  private static final String MARKER = "PAYLOAD-MARKER-0c9b";

  @Test
  void aFailedJobShowsNoPayloadInItsLogOrItsFailure(KafkaBroker broker) throws Exception {
    Throwable failure;
    String log;
    try (StderrCapture capture = StderrCapture.start();
        RunningJob job = RunningJob.start(broker, ValidateRecords.using(new JsonBodyValidator()), "--standalone")) {
      refuseRecordsOver(broker, job.topics.output(), 1024);
      BatchNotification batch = Batches.started(Batches.newId("too-large"), job.topics.input(), -1);
      job.notify(batch);
      job.send(batch.id(), "k", "{\"note\":\"" + MARKER + "\",\"padding\":\"" + incompressible(8192) + "\"}");

      failure = assertThrows(Pipeline.PipelineExecutionException.class,
          () -> job.result().waitUntilFinish(Duration.standardSeconds(90)));
      log = capture.text();
    }
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(t.getClass().getName() + ": " + t.getMessage());
    }
    assertThat(String.join("\n", messages), containsString("RecordTooLargeException"));
    assertThat("the failure's messages", String.join("\n", messages), not(containsString(MARKER)));
    assertThat("the job's log output", log, not(containsString(MARKER)));
  }

  /** Random text: the producer compresses its batches, and the broker limits their compressed size. */
  private static String incompressible(int bytes) {
    byte[] random = new byte[bytes];
    new Random(7).nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }

  private static void refuseRecordsOver(KafkaBroker broker, String topic, int bytes) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    AlterConfigOp limit =
        new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(bytes)), AlterConfigOp.OpType.SET);
    broker.admin().incrementalAlterConfigs(Map.of(resource, List.of(limit))).all().get();
  }
}

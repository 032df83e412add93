package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Management API that rejects the job's requests as malformed or unauthorized stops the job loudly. */
@ExtendWith(KafkaBrokerExtension.class)
class ManagementApiFailureTest {
  @Test
  void anUnauthorizedLookupFailsTheJobWithTheApisMessage(KafkaBroker broker) throws Exception {
    try (FakeManagementApi api = FakeManagementApi.start()) {
      api.alwaysRespondWith("GET", "/batches/b-401", 401);
      try (RunningJob job =
          RunningJob.start(
              broker, ValidateRecords.using(new JsonBodyValidator()),
              "--mgmtUrl=" + api.baseUrl(), "--oauthUrl=" + api.oauthUrl(), "--clientId=job",
              "--clientSecret=s3cret", "--audience=hri-app")) {
        job.send("b-401", "k", "{}");

        PipelineExecutionException failure =
            assertThrows(PipelineExecutionException.class, () -> job.result().waitUntilFinish(org.joda.time.Duration.standardSeconds(60)));
        assertThat(failure.getCause().getMessage(), is("Call to HRI Management API failed: Unauthorized."));
      }
    }
  }
}

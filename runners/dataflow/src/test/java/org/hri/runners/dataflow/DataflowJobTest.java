package org.hri.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.hri.pipeline.HriPipelineOptions;
import org.junit.jupiter.api.Test;

/** The Dataflow launcher builds the job and Dataflow accepts its options, without submitting anything. */
class DataflowJobTest {
  static final String[] ARGS = {
    "--project=hri-test", "--region=us-east1", "--tempLocation=gs://hri-test-bucket/tmp",
    "--gcpTempLocation=gs://hri-test-bucket/tmp",
    "--stagingLocation=gs://hri-test-bucket/staging",
    "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
    "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
    "--brokers=kafka-1:9093", "--input=ingest.tenant1.integrator1.in", "--password=api-key",
    "--mgmtUrl=https://hri-mgmt-api.example.org/hri", "--oauthUrl=https://auth.example.org/oauth/v4/t",
    "--clientId=hri-internal", "--clientSecret=secret", "--audience=hri-application", "--validator=json"
  };

  @Test
  void buildsTheStreamingJobAndDataflowAcceptsItsOptions() {
    Pipeline pipeline = DataflowJob.build(ARGS);
    DataflowPipelineOptions options = pipeline.getOptions().as(DataflowPipelineOptions.class);
    assertThat(options.isStreaming(), is(true));
    assertThat(options.getRunner(), is((Object) DataflowRunner.class));
    assertThat(DataflowRunner.fromOptions(options), instanceOf(DataflowRunner.class));
  }

  @Test
  void aBadOptionIsOneLineNamingIt() {
    List<String> args = new ArrayList<>(List.of(ARGS));
    args.removeIf(a -> a.startsWith("--clientSecret="));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DataflowJob.build(args.toArray(String[]::new)));
    assertThat(error.getMessage(), is("Missing required option: --clientSecret"));
  }

  @Test
  void theFlexTemplateMetadataDocumentsEveryJobOption() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/flex-template/metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    Set<String> documented = new HashSet<>();
    for (JsonNode parameter : metadata.get("parameters")) {
      documented.add(parameter.get("name").asText());
      assertThat(parameter.get("helpText").asText().isBlank(), is(false));
    }
    List<String> missing = new ArrayList<>();
    for (Method getter : HriPipelineOptions.class.getDeclaredMethods()) {
      // Hidden options are for tests (failure injection), not for a template's users.
      if (getter.isAnnotationPresent(Description.class) && !getter.isAnnotationPresent(Hidden.class)) {
        String name = getter.getName().replaceFirst("^(get|is)", "");
        name = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        if (!documented.contains(name)) {
          missing.add(name);
        }
      }
    }
    assertThat("options missing from metadata.json", missing, is(empty()));
  }
}

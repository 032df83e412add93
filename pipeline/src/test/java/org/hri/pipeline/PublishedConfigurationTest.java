package org.hri.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With secrets given as references, nothing the job publishes about itself — its serialized options (what
 * Flink's and Dataflow's job configuration show) and the display data of every transform, KafkaIO's consumer
 * and producer configs included — holds a secret.
 */
class PublishedConfigurationTest {
  private static final String KAFKA_SECRET = "kafka-marker-7f3c";
  private static final String CLIENT_SECRET = "client-marker-91ab";

  @Test
  void secretReferencesKeepSecretsOutOfOptionsAndDisplayData(@TempDir Path dir) throws Exception {
    Path password = Files.writeString(dir.resolve("password"), KAFKA_SECRET + "\n");
    Path clientSecret = Files.writeString(dir.resolve("client-secret"), CLIENT_SECRET + "\n");
    HriPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--brokers=broker-1:9093", "--input=ingest.t1.di.in", "--password=file:" + password,
                "--mgmtUrl=https://mgmt.example/hri", "--oauthUrl=https://auth.example/oauth",
                "--clientId=hri-internal", "--clientSecret=file:" + clientSecret, "--audience=hri",
                "--exactlyOnce=true")
            .as(HriPipelineOptions.class);
    Pipeline pipeline = HriPipeline.create(options, ValidateRecords.using(record -> ValidationResult.valid()));

    String published = new ObjectMapper().writeValueAsString(pipeline.getOptions()) + displayData(pipeline);

    assertThat(published, containsString("sasl.jaas.config")); // the KafkaIO configs are there...
    assertThat(published, not(containsString(KAFKA_SECRET))); // ...without the secrets
    assertThat(published, not(containsString(CLIENT_SECRET)));
    assertThat(published.contains("file:" + clientSecret), is(true));
  }

  private static String displayData(Pipeline pipeline) {
    List<String> items = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              items.add(DisplayData.from(node.getTransform()).toString());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            items.add(DisplayData.from(node.getTransform()).toString());
          }
        });
    return String.join("\n", items);
  }
}

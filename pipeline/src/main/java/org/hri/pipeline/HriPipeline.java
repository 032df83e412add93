package org.hri.pipeline;

import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.hri.pipeline.batches.BatchStatuses;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.kafka.KafkaSettings;
import org.hri.pipeline.kafka.ProducerRecords;
import org.hri.pipeline.kafka.ReadHriRecords;
import org.hri.pipeline.kafka.ReadNotifications;
import org.hri.pipeline.kafka.WriteToKafka;
import org.hri.pipeline.kafka.WriterFaults;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;
import org.hri.pipeline.mgmt.UpdateBatchStatus;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.tracking.TrackBatches;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.ValidatedRecords;
import org.hri.pipeline.validation.Validators;

/**
 * The HRI validation job: reads {@code *.in} and {@code *.notification}, validates every record, writes
 * {@code *.out} and {@code *.invalid}, tracks every batch and reports each verdict to the Management API (or,
 * standalone, to {@code *.notification}). Runner-independent: the runner comes from the options.
 */
public final class HriPipeline {
  private HriPipeline() {}

  /** Builds the job with the validator named by {@code --validator}. */
  public static Pipeline create(HriPipelineOptions options) {
    HriOptionsCheck.check(options);
    return create(options, Validators.byName(options.getValidator(), options));
  }

  /** Builds the job with the given validation transform. */
  public static Pipeline create(HriPipelineOptions options, ValidateRecords validation) {
    HriOptionsCheck.check(options);
    options.setStreaming(true);
    TopicNames topics = TopicNames.forInput(options.getInput());
    KafkaSettings kafka =
        new KafkaSettings(
            options.getBrokers(), options.getPassword(), topics, HriOptionsCheck.kafkaProperties(options));
    Duration stateTtl = Duration.ofMillis(options.getBatchStateTtl());
    RetryPolicy retry =
        RetryPolicy.of(
            Duration.ofMillis(options.getMgmtInitialBackoff()),
            Duration.ofMillis(options.getMgmtMaxBackoff()),
            Duration.ofMillis(options.getMgmtRetryTimeout()));
    ManagementApiConfig api = options.isStandalone() ? null : managementApi(options, topics);

    Pipeline pipeline = Pipeline.create(options);
    PCollection<BatchNotification> notifications =
        pipeline.apply("ReadNotifications", ReadNotifications.from(kafka));
    UnknownBatchPolicy unknownBatches =
        api == null
            ? UnknownBatchPolicy.hold(Duration.ofMillis(options.getUnknownBatchTimeout()), stateTtl)
            : UnknownBatchPolicy.lookup(api, retry, stateTtl, topics.input());
    BatchStatuses batches =
        BatchStatuses.from(notifications, unknownBatches, Duration.ofMillis(options.getFinishedBatchRetention()));

    ValidatedRecords validated =
        pipeline
            .apply("ReadRecords", ReadHriRecords.from(kafka))
            .apply("ValidateRecords", validation.withBatches(batches));
    int shards = Boolean.TRUE.equals(options.getExactlyOnce()) ? options.getExactlyOnceShards() : 0;
    validated
        .valid()
        .apply(
            "WriteValidRecords",
            WriteToKafka.of(kafka, topics.output(), ProducerRecords.validRecord(topics.output()))
                .withExactlyOnce(shards)
                .withWriterFaults(
                    options.getInjectWriterFaults() == null
                        ? WriterFaults.none()
                        : WriterFaults.oncePerStep(options.getInjectWriterFaults())));
    validated
        .invalid()
        .apply(
            "WriteInvalidRecords",
            WriteToKafka.of(kafka, topics.invalid(), ProducerRecords.invalidRecord(topics.invalid()))
                .withExactlyOnce(shards));

    PCollection<BatchNotification> verdicts =
        TrackBatches.events(validated.counts(), notifications)
            .apply(
                "TrackBatches",
                TrackBatches.withCompletionDelay(Duration.ofMillis(options.getBatchCompletionDelay()))
                    .withStateTtl(stateTtl));
    if (api == null) {
      verdicts.apply(
          "WriteVerdicts",
          WriteToKafka.of(kafka, topics.notification(), ProducerRecords.notification(topics.notification()))
              .withExactlyOnce(shards));
    } else {
      verdicts.apply("ReportVerdicts", UpdateBatchStatus.to(api).withRetryPolicy(retry));
    }
    return pipeline;
  }

  private static ManagementApiConfig managementApi(HriPipelineOptions options, TopicNames topics) {
    return ManagementApiConfig.builder()
        .baseUrl(options.getMgmtUrl())
        .oauthUrl(options.getOauthUrl())
        .clientId(options.getClientId())
        .clientSecret(options.getClientSecret())
        .audience(options.getAudience())
        .tenantId(topics.tenantId())
        .build();
  }
}

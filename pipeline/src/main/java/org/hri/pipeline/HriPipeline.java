package org.hri.pipeline;

import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.hri.pipeline.batches.UnknownBatchPolicy;
import org.hri.pipeline.kafka.HriTopics;
import org.hri.pipeline.kafka.KafkaSettings;
import org.hri.pipeline.kafka.ReadNotifications;
import org.hri.pipeline.kafka.WriterFaults;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.RetryPolicy;
import org.hri.pipeline.mgmt.UpdateBatchStatus;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.pipeline.validation.Validators;

/**
 * The HRI validation job: reads {@code *.in} and {@code *.notification}, validates every record, writes
 * {@code *.out} and {@code *.invalid}, tracks every batch and reports each verdict to the Management API (or,
 * standalone, to {@code *.notification}). What it gives up on without a record to route (a malformed
 * notification, a verdict never applied) is logged and, with {@code --deadLetterTopic}, written there.
 * Runner-independent: the runner comes from the options.
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

    UnknownBatchPolicy unknownBatches =
        api == null
            ? UnknownBatchPolicy.hold(Duration.ofMillis(options.getUnknownBatchTimeout()), stateTtl)
            : UnknownBatchPolicy.lookup(api, retry, stateTtl, topics.input());
    ProcessBatches processBatches =
        ProcessBatches.using(validation)
            .withUnknownBatches(unknownBatches)
            .withCompletionDelay(Duration.ofMillis(options.getBatchCompletionDelay()))
            .withFinishedBatchRetention(Duration.ofMillis(options.getFinishedBatchRetention()))
            .withStateTtl(stateTtl);
    HriTopics kafkaEdges =
        HriTopics.of(kafka, Boolean.TRUE.equals(options.getExactlyOnce()) ? options.getExactlyOnceShards() : 0)
            .withOutWriterFaults(
                options.getInjectWriterFaults() == null
                    ? WriterFaults.none()
                    : WriterFaults.oncePerStep(options.getInjectWriterFaults()));

    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple read = kafkaEdges.read(pipeline, ProcessBatches.RECORDS, ProcessBatches.NOTIFICATIONS);
    BatchResults results =
        PCollectionTuple.of(ProcessBatches.RECORDS, read.get(ProcessBatches.RECORDS))
            .and(ProcessBatches.NOTIFICATIONS, read.get(ProcessBatches.NOTIFICATIONS))
            .apply("ProcessBatches", processBatches); // without the malformed notifications it does not read
    // The parts, not their flatten: the writer's per-record steps then chain to validation on Flink.
    kafkaEdges.writeRecords(results.validParts(), results.invalid());
    PCollectionList<DeadLetter> deadLetters = PCollectionList.of(read.get(ReadNotifications.MALFORMED));
    if (api == null) {
      kafkaEdges.writeVerdicts(results.verdicts());
    } else {
      PCollectionTuple reported =
          results.verdicts().apply("ReportVerdicts", UpdateBatchStatus.to(api).withRetryPolicy(retry));
      deadLetters = deadLetters.and(reported.get(UpdateBatchStatus.NOT_APPLIED));
    }
    PCollection<DeadLetter> allDeadLetters = deadLetters.apply("DeadLetters", Flatten.pCollections());
    allDeadLetters.apply("LogDeadLetters", ParDo.of(new LogDeadLettersFn()));
    if (options.getDeadLetterTopic() != null) {
      kafkaEdges.writeDeadLetters(allDeadLetters, options.getDeadLetterTopic());
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

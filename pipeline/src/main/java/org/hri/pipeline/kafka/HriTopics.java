package org.hri.pipeline.kafka;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.HriRecord;
import org.hri.pipeline.model.InvalidRecord;
import org.hri.pipeline.topics.TopicNames;

/**
 * The job's Kafka edges, in one place: what it reads ({@code *.in}, {@code *.notification}) and what it writes
 * ({@code *.out}, {@code *.invalid}, verdicts to {@code *.notification} when standalone, and dead letters to
 * their topic when there is one), with the same settings and the same exactly-once shards for all of its
 * writers.
 */
public final class HriTopics {
  private final KafkaSettings kafka;
  private final int exactlyOnceShards;
  private final WriterFaults outFaults;

  private HriTopics(KafkaSettings kafka, int exactlyOnceShards, WriterFaults outFaults) {
    this.kafka = kafka;
    this.exactlyOnceShards = exactlyOnceShards;
    this.outFaults = outFaults;
  }

  /** Zero {@code exactlyOnceShards}: at-least-once writers. */
  public static HriTopics of(KafkaSettings kafka, int exactlyOnceShards) {
    return new HriTopics(kafka, exactlyOnceShards, WriterFaults.none());
  }

  /** Injects failures into the {@code *.out} writer's protocol: for the failover tests only. */
  public HriTopics withOutWriterFaults(WriterFaults faults) {
    return new HriTopics(kafka, exactlyOnceShards, faults);
  }

  private TopicNames topics() {
    return kafka.topics();
  }

  /**
   * Reads {@code *.in} under {@code recordsTag} and {@code *.notification} under {@code notificationsTag}; the
   * messages of {@code *.notification} that are not notifications come as dead letters under
   * {@link ReadNotifications#MALFORMED}.
   */
  public PCollectionTuple read(
      Pipeline pipeline, TupleTag<HriRecord> recordsTag, TupleTag<BatchNotification> notificationsTag) {
    PCollectionTuple notifications = pipeline.apply("ReadNotifications", ReadNotifications.from(kafka));
    return PCollectionTuple.of(notificationsTag, notifications.get(ReadNotifications.NOTIFICATIONS))
        .and(ReadNotifications.MALFORMED, notifications.get(ReadNotifications.MALFORMED))
        .and(recordsTag, pipeline.apply("ReadRecords", ReadHriRecords.from(kafka)));
  }

  /** Writes valid records to {@code *.out} and invalid-record notices to {@code *.invalid}. */
  public void writeRecords(PCollectionList<HriRecord> valid, PCollection<InvalidRecord> invalid) {
    valid.apply(
        "WriteValidRecords",
        WriteToKafka.of(kafka, topics().output(), ProducerRecords.validRecord(topics().output()))
            .withExactlyOnce(exactlyOnceShards)
            .withWriterFaults(outFaults));
    PCollectionList.of(invalid).apply(
        "WriteInvalidRecords",
        WriteToKafka.of(kafka, topics().invalid(), ProducerRecords.invalidRecord(topics().invalid()))
            .withExactlyOnce(exactlyOnceShards));
  }

  /**
   * Writes dead letters to {@code topic}, keyed by their subject, at least once: without transactions, streams
   * may share the topic (transactional writers are named after their topic and would fence each other).
   */
  public void writeDeadLetters(PCollection<DeadLetter> deadLetters, String topic) {
    PCollectionList.of(deadLetters)
        .apply("WriteDeadLetters", WriteToKafka.of(kafka, topic, ProducerRecords.deadLetter(topic)));
  }

  /** Writes verdicts to {@code *.notification}: the job's report when it runs without a Management API. */
  public void writeVerdicts(PCollection<BatchNotification> verdicts) {
    PCollectionList.of(verdicts).apply(
        "WriteVerdicts",
        WriteToKafka.of(kafka, topics().notification(), ProducerRecords.notification(topics().notification()))
            .withExactlyOnce(exactlyOnceShards));
  }
}

package org.hri.pipeline.kafka;

import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchNotificationCoder;
import org.hri.pipeline.model.DeadLetter;
import org.hri.pipeline.model.DeadLetterCoder;
import org.hri.pipeline.model.InvalidNotificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the notification topic as bytes and parses each message into {@link #NOTIFICATIONS}. Notifications
 * are data, not orders: a tombstone or a message that is not a valid notification (see
 * {@link BatchNotification#fromJson}) is counted and becomes a dead letter under {@link #MALFORMED}, by
 * position and reason only; one about another stream's topic is counted and ignored. The job keeps running
 * either way.
 *
 * <p>Notifications are read from the earliest retained offset whenever the job starts without a checkpoint,
 * so it knows every batch the topic still remembers, including those created before it started.
 */
public final class ReadNotifications extends PTransform<PBegin, PCollectionTuple> {
  /** This stream's notifications, checked. */
  public static final TupleTag<BatchNotification> NOTIFICATIONS = new TupleTag<>("notifications") {};
  /** Messages that are not notifications. */
  public static final TupleTag<DeadLetter> MALFORMED = new TupleTag<>("malformed") {};

  private final KafkaSettings settings;

  private ReadNotifications(KafkaSettings settings) {
    this.settings = settings;
  }

  public static ReadNotifications from(KafkaSettings settings) {
    return new ReadNotifications(settings);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    Map<String, Object> consumer = settings.consumer();
    consumer.remove("group.id"); // nothing is committed: history is re-read on a fresh start
    consumer.put("auto.offset.reset", "earliest");
    consumer.put("fetch.max.wait.ms", 150); // lets notifications overtake data records
    PCollection<KafkaRecord<byte[], byte[]>> messages =
        begin.apply(
            "ReadNotificationTopic",
            KafkaIO.<byte[], byte[]>read()
                .withBootstrapServers(settings.brokers())
                .withTopic(settings.topics().notification())
                .withKeyDeserializer(ByteArrayDeserializer.class)
                .withValueDeserializer(ByteArrayDeserializer.class)
                .withConsumerConfigUpdates(consumer)
                .withReadCommitted());
    return parse(messages, settings.topics().input());
  }

  /** Parses the notification topic's messages into {@link #NOTIFICATIONS} and {@link #MALFORMED}. */
  static PCollectionTuple parse(PCollection<KafkaRecord<byte[], byte[]>> messages, String inputTopic) {
    PCollectionTuple parsed =
        messages.apply("ParseNotifications",
            ParDo.of(new ParseNotificationsFn(inputTopic)).withOutputTags(NOTIFICATIONS, TupleTagList.of(MALFORMED)));
    parsed.get(NOTIFICATIONS).setCoder(BatchNotificationCoder.of());
    parsed.get(MALFORMED).setCoder(DeadLetterCoder.of());
    return parsed;
  }

  /** Parses notification bytes; a bad message's dead letter says where it is and why, never what it holds. */
  static final class ParseNotificationsFn extends DoFn<KafkaRecord<byte[], byte[]>, BatchNotification> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseNotificationsFn.class);
    private static final Counter BAD = Metrics.counter("hri", "notifications-bad");
    private static final Counter READ = Metrics.counter("hri", "notifications-read");
    private static final Counter OTHER_STREAM = Metrics.counter("hri", "notifications-other-stream");

    private final String inputTopic;

    ParseNotificationsFn(String inputTopic) {
      this.inputTopic = inputTopic;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      byte[] value = record.getKV().getValue();
      String position = record.getTopic() + "-" + record.getPartition() + "@" + record.getOffset();
      if (value == null) {
        skip(position, "Notification is a tombstone (no value)", out);
        return;
      }
      BatchNotification notification;
      try {
        notification = BatchNotification.fromJson(value);
      } catch (InvalidNotificationException e) {
        skip(position, e.getMessage(), out); // names the field, never the value
        return;
      } catch (Exception e) {
        // A parser's message quotes the input, so only its class is kept.
        skip(position, "Notification could not be read (" + e.getClass().getSimpleName() + ")", out);
        return;
      }
      READ.inc();
      if (notification.topic() != null && !notification.topic().equals(inputTopic)) {
        OTHER_STREAM.inc();
        LOG.warn("Ignoring the notification at {} for batch {}: it is about another topic", position,
            notification.id());
        return;
      }
      out.get(NOTIFICATIONS).output(notification);
    }

    private static void skip(String position, String reason, MultiOutputReceiver out) {
      BAD.inc();
      out.get(MALFORMED).output(DeadLetter.malformedNotification(position, reason));
    }
  }
}

package org.hri.pipeline.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every message of the notification topic ends as a notification, a dead letter, or (another stream's) ignored. */
@ExtendWith(TestPipelineExtension.class)
class ParseNotificationsFnTest {
  private static final String INPUT = "ingest.t1.claims.in";
  private static final String TOPIC = "ingest.t1.claims.notification";
  private static final String SECRET = "PAYLOAD-MARKER-7f3a";

  private static KafkaRecord<byte[], byte[]> at(long offset, String value) {
    return new KafkaRecord<>(TOPIC, 0, offset, 0L, KafkaTimestampType.CREATE_TIME, new RecordHeaders(),
        ("k" + offset).getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8));
  }

  @Test
  void eachMessageEndsAsANotificationADeadLetterOrIgnored(TestPipeline p) throws Exception {
    String good = "{\"id\":\"b1\",\"status\":\"started\",\"topic\":\"" + INPUT + "\"}";
    List<KafkaRecord<byte[], byte[]>> messages = List.of(
        at(0, good),
        at(1, null),
        at(2, "{\"id\":\"b2\",\"status\":\"sendCompleted\",\"expectedRecordCount\":\"" + SECRET + "\"}"),
        at(3, "not json " + SECRET),
        at(4, "{\"id\":\"b3\",\"status\":\"started\",\"topic\":\"ingest.t1.other.in\"}"));
    PCollectionTuple parsed = ReadNotifications.parse(
        p.apply(Create.of(messages).withCoder(
            KafkaRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of())))),
        INPUT);

    PAssert.that(parsed.get(ReadNotifications.NOTIFICATIONS))
        .containsInAnyOrder(BatchNotification.fromJson(good.getBytes(UTF_8)));
    PAssert.that(parsed.get(ReadNotifications.MALFORMED)).containsInAnyOrder(
        DeadLetter.malformedNotification(TOPIC + "-0@1", "Notification is a tombstone (no value)"),
        DeadLetter.malformedNotification(
            TOPIC + "-0@2", "Notification field expectedRecordCount is not a whole number"),
        DeadLetter.malformedNotification(TOPIC + "-0@3", "Notification could not be read (JsonParseException)"));
    p.run().waitUntilFinish();
  }
}

package org.hri.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The counter against a real broker: the warm-up records are counted but left out of the measurement. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicCounterTest {
  @Test
  void measuresOnlyTheRecordsAfterTheWarmup(KafkaBroker broker) throws Exception {
    String topic = KafkaBroker.uniqueTopicName("counter");
    broker.createTopic(topic, 1);
    try (KafkaTestClient kafka = new KafkaTestClient(broker)) {
      for (int i = 0; i < 10; i++) { // record i: timestamp 1,000 + 10 i, i + 1 bytes
        kafka.send(new ProducerRecord<>(topic, 0, 1_000L + 10 * i, null, new byte[i + 1]));
      }
    }

    try (TopicCounter counter = new TopicCounter(broker.bootstrapServers(), topic, 4)) {
      TopicCounter.Arrival arrival = counter.await(10, Duration.ofSeconds(30), null);
      assertThat(arrival.records(), is(6L));
      assertThat(arrival.bytes(), is(5L + 6 + 7 + 8 + 9 + 10));
      assertThat(arrival.firstAppendMs(), is(1_040L));
    }
  }
}

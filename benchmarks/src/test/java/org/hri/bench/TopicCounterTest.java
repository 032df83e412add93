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

/**
 * The counter against a real broker: the first records by append time are counted but left out of the
 * measurement, whichever partition the consumer happens to read first.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TopicCounterTest {
  @Test
  void measuresOnlyTheRecordsAfterTheWarmupInAppendOrder(KafkaBroker broker) throws Exception {
    String topic = KafkaBroker.uniqueTopicName("counter");
    broker.createTopic(topic, 2);
    long base = System.currentTimeMillis() - 60_000;
    try (KafkaTestClient kafka = new KafkaTestClient(broker)) {
      // record i: partition i % 2, timestamp base + 5 i, i + 1 bytes; the partitions interleave in time
      for (int i = 0; i < 20; i++) {
        kafka.send(new ProducerRecord<>(topic, i % 2, base + 5 * i, null, new byte[i + 1]));
      }
    }

    try (TopicCounter counter = new TopicCounter(broker.bootstrapServers(), topic, 10)) {
      TopicCounter.Arrival arrival = counter.await(20, Duration.ofSeconds(30), null);
      assertThat(arrival.records(), is(10L));
      assertThat(arrival.bytes(), is(11L + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20));
      assertThat(arrival.firstAppendMs(), is(base + 50));
      assertThat(arrival.lastAppendMs(), is(base + 95));
      assertThat(arrival.endingAtLastAppend().completedMs(), is(base + 95));
    }
  }
}

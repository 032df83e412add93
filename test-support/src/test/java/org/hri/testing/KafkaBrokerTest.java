package org.hri.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerTest {

  @Test
  void sharedBrokerRunsOnLoopbackWithOneNode(KafkaBroker broker) throws Exception {
    assertSame(broker, KafkaBrokerExtension.broker(), "one broker per JVM");
    assertThat(broker.bootstrapServers(), startsWith("127.0.0.1:"));
    assertTrue(Files.isDirectory(broker.dataDirectory()));
    List<Node> nodes = List.copyOf(broker.admin().describeCluster().nodes().get(10, TimeUnit.SECONDS));
    assertThat(nodes, hasSize(1));
    assertEquals("127.0.0.1", nodes.get(0).host());
  }

  @Test
  void createsTopicsWithTheGivenPartitions(KafkaBroker broker) throws Exception {
    String three = KafkaBroker.uniqueTopicName("three");
    String a = KafkaBroker.uniqueTopicName("a");
    String b = KafkaBroker.uniqueTopicName("b");
    broker.createTopic(three, 3);
    broker.createTopics(2, a, b);

    Map<String, TopicDescription> topics =
        broker.admin().describeTopics(List.of(three, a, b)).allTopicNames().get(10, TimeUnit.SECONDS);
    assertThat(topics.get(three).partitions(), hasSize(3));
    assertThat(topics.get(a).partitions(), hasSize(2));
    assertThat(topics.get(b).partitions(), hasSize(2));
  }

  @Test
  void creatingAnExistingTopicFails(KafkaBroker broker) {
    String topic = KafkaBroker.uniqueTopicName("dup");
    broker.createTopic(topic, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> broker.createTopic(topic, 1));
    assertThat(e.getMessage().contains("TopicExistsException"), is(true));
  }

  @Test
  void topicsAreCreatedAutomaticallyOnFirstSend(KafkaBroker broker, KafkaTestClient kafka) throws Exception {
    String topic = KafkaBroker.uniqueTopicName("auto");
    kafka.send(topic, "k", "v");
    List<ConsumerRecord<byte[], byte[]>> records = kafka.readExactly(topic, 1, Duration.ofSeconds(30),
        Duration.ofMillis(200));
    assertEquals("v", KafkaTestClient.utf8(records.get(0).value()));
    assertThat(broker.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
        .get(topic).partitions(), hasSize(1));
  }

  @Test
  void ownBrokerStopsAndDeletesItsDataOnClose() {
    Path dir;
    KafkaBroker own;
    try (KafkaBroker broker = KafkaBroker.start(); KafkaTestClient kafka = new KafkaTestClient(broker)) {
      own = broker;
      dir = broker.dataDirectory();
      assertThat(broker.bootstrapServers(), not(KafkaBrokerExtension.broker().bootstrapServers()));
      broker.createTopic("own", 1);
      kafka.send("own", "k", "v");
      assertThat(kafka.readExactly("own", 1, Duration.ofSeconds(30), Duration.ofMillis(100)), hasSize(1));
    }
    assertTrue(own.isClosed());
    assertFalse(Files.exists(dir), "data directory deleted");
    assertThrows(IllegalStateException.class, () -> own.createTopic("x", 1));
    own.close(); // idempotent
  }
}

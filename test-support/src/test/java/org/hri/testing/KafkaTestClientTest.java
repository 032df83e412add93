package org.hri.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hri.testing.KafkaTestClient.headerStrings;
import static org.hri.testing.KafkaTestClient.headers;
import static org.hri.testing.KafkaTestClient.lastHeader;
import static org.hri.testing.KafkaTestClient.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaTestClientTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final KafkaBroker broker;
  private String topic;

  KafkaTestClientTest(KafkaBroker broker) {
    this.broker = broker;
  }

  @BeforeEach
  void createTopic() {
    topic = KafkaBroker.uniqueTopicName("client-test");
    broker.createTopic(topic, 3);
  }

  @Test
  void roundTripsHeadersKeysValuesAndOffsets(KafkaTestClient kafka) {
    kafka.quietPeriod(Duration.ofMillis(300));
    // to partition 2 explicitly, so the offsets are known
    RecordMetadata first = kafka.send(new ProducerRecord<>(topic, 2, utf8("k0"), utf8("v0"), headers("n", "0")));
    RecordMetadata second = kafka.send(new ProducerRecord<>(topic, 2, utf8("k1"), utf8("v1"), headers("n", "1")));
    assertEquals(2, first.partition());
    assertEquals(0, first.offset());
    assertEquals(1, second.offset());
    // UTF-8 header keys/values, repeated keys, a header without value, in order
    kafka.send(topic, "キー", "utf8-value-あいうえお",
        headers("testUtf8あいうえおか", "値あいうえおか", "dup", "1", "dup", "2", "empty", null));
    // null key, no headers
    kafka.send(topic, (byte[]) null, utf8("no-key"));
    // null key and null value (a tombstone)
    kafka.send(topic, (byte[]) null, null);

    List<ConsumerRecord<byte[], byte[]>> records = kafka.readExactly(topic, 5, DEADLINE);

    Map<String, ConsumerRecord<byte[], byte[]>> byValue = records.stream()
        .filter(r -> r.value() != null)
        .collect(Collectors.toMap(r -> utf8(r.value()), r -> r));
    assertEquals(0, byValue.get("v0").offset());
    assertEquals(2, byValue.get("v0").partition());
    assertEquals(1, byValue.get("v1").offset());
    assertEquals(List.of("n=1"), headerStrings(byValue.get("v1")));

    ConsumerRecord<byte[], byte[]> utf = byValue.get("utf8-value-あいうえお");
    assertEquals("キー", utf8(utf.key()));
    assertEquals(List.of("testUtf8あいうえおか=値あいうえおか", "dup=1", "dup=2", "empty=null"), headerStrings(utf));
    assertEquals("2", lastHeader(utf, "dup"));
    assertNull(utf.headers().lastHeader("empty").value());

    ConsumerRecord<byte[], byte[]> noKey = byValue.get("no-key");
    assertNull(noKey.key());
    assertEquals(0, noKey.headers().toArray().length);

    List<ConsumerRecord<byte[], byte[]>> tombstones =
        records.stream().filter(r -> r.value() == null).collect(Collectors.toList());
    assertThat(tombstones, hasSize(1));
    assertNull(tombstones.get(0).key());
  }

  @Test
  void sendsRawBytes(KafkaTestClient kafka) {
    byte[] key = {0, 1, 2, (byte) 0xff};
    byte[] value = {(byte) 0xc3, 0x28}; // not valid UTF-8
    kafka.send(topic, key, value, List.of(KafkaTestClient.header("h", "x")));
    ConsumerRecord<byte[], byte[]> r = kafka.readExactly(topic, 1, DEADLINE, Duration.ofMillis(200)).get(0);
    assertArrayEquals(key, r.key());
    assertArrayEquals(value, r.value());
  }

  @Test
  void readsCommittedTransactionsOnly(KafkaTestClient kafka) {
    KafkaProducer<byte[], byte[]> tx = kafka.newTransactionalProducer("tx-" + topic);
    tx.beginTransaction();
    tx.send(new ProducerRecord<>(topic, utf8("a"), utf8("committed-1")));
    tx.send(new ProducerRecord<>(topic, utf8("b"), utf8("committed-2")));
    tx.commitTransaction();
    tx.beginTransaction();
    tx.send(new ProducerRecord<>(topic, utf8("a"), utf8("aborted-1")));
    tx.send(new ProducerRecord<>(topic, utf8("c"), utf8("aborted-2")));
    tx.flush();
    tx.abortTransaction();
    tx.beginTransaction();
    tx.send(new ProducerRecord<>(topic, utf8("c"), utf8("committed-3")));
    tx.commitTransaction();

    List<String> values = kafka.readExactly(topic, 3, DEADLINE, Duration.ofMillis(500)).stream()
        .map(r -> utf8(r.value())).collect(Collectors.toList());
    assertThat(values, containsInAnyOrder("committed-1", "committed-2", "committed-3"));
  }

  @Test
  void readExactlyFailsWhenTooFewArrive(KafkaTestClient kafka) {
    kafka.send(topic, "k", "one");
    kafka.send(topic, "k", "two");
    AssertionError e = assertThrows(AssertionError.class,
        () -> kafka.readExactly(topic, 3, Duration.ofMillis(1500), Duration.ofMillis(100)));
    assertThat(e.getMessage(), containsString("Expected 3 records on topic '" + topic + "'"));
    assertThat(e.getMessage(), containsString("only 2 arrived"));
    assertThat(e.getMessage(), containsString("value=two"));
  }

  @Test
  void readExactlyFailsWhenTooManyArrive(KafkaTestClient kafka) {
    for (int i = 0; i < 3; i++) {
      kafka.send(topic, "k", "v" + i); // same key: same partition, so they arrive together
    }
    AssertionError e = assertThrows(AssertionError.class,
        () -> kafka.readExactly(topic, 2, DEADLINE, Duration.ofMillis(300)));
    assertThat(e.getMessage(), containsString("Expected exactly 2 records"));
    assertThat(e.getMessage(), containsString("but 3 arrived"));
  }

  @Test
  void readExactlyFailsWhenMoreArriveDuringTheQuietPeriod(KafkaTestClient kafka) throws Exception {
    kafka.send(topic, "k", "v0");
    kafka.send(topic, "k", "v1");
    ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();
    try {
      // Arrives while readExactly watches the quiet period (or, on a very slow machine, before: it fails either way).
      late.schedule(() -> kafka.send(topic, "k", "late"), 700, TimeUnit.MILLISECONDS);
      AssertionError e = assertThrows(AssertionError.class,
          () -> kafka.readExactly(topic, 2, DEADLINE, Duration.ofSeconds(5)));
      assertThat(e.getMessage(), containsString("but 3 arrived"));
      assertThat(e.getMessage(), containsString("value=late"));
    } finally {
      late.shutdown();
      late.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readExactlyZeroOnAnEmptyTopic(KafkaTestClient kafka) {
    assertThat(kafka.readExactly(topic, 0, DEADLINE, Duration.ofMillis(200)), empty());
  }

  @Test
  void readUntilWaitsForTheCondition(KafkaTestClient kafka) throws Exception {
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 4; i++) {
        kafka.send(topic, "k" + i, "v" + i);
      }
      later.schedule(() -> kafka.send(topic, "k", "done"), 300, TimeUnit.MILLISECONDS);
      List<ConsumerRecord<byte[], byte[]>> records = kafka.readUntil(topic,
          rs -> rs.stream().anyMatch(r -> "done".equals(utf8(r.value()))), DEADLINE);
      assertThat(records, hasSize(5));
    } finally {
      later.shutdown();
      later.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readUntilFailsAtTheDeadline(KafkaTestClient kafka) {
    kafka.send(topic, "k", "v");
    AssertionError e = assertThrows(AssertionError.class,
        () -> kafka.readUntil(topic, rs -> rs.size() >= 2, Duration.ofMillis(800)));
    assertThat(e.getMessage(), containsString("not met within PT0.8S; 1 records arrived"));
  }

  @Test
  void readAllReadsWhatIsThere(KafkaTestClient kafka) throws Exception {
    for (int i = 0; i < 4; i++) {
      kafka.send(topic, "k" + i, "v" + i);
    }
    assertThat(kafka.readAll(topic, Duration.ofMillis(200)), hasSize(4));

    String missing = KafkaBroker.uniqueTopicName("missing");
    assertThat(kafka.readAll(missing, Duration.ofMillis(200)), empty());
    assertThat("reading does not create topics",
        broker.admin().listTopics().names().get(10, TimeUnit.SECONDS), not(org.hamcrest.Matchers.hasItem(missing)));
  }
}

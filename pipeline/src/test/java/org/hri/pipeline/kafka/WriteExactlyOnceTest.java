package org.hri.pipeline.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.hri.pipeline.kafka.WriterFaults.InjectedWriterFault;
import org.hri.pipeline.kafka.WriterFaults.Step;
import org.hri.pipeline.topics.TopicNames;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.hri.testing.KafkaTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exactly-once writer against a real broker. A restore is played the way a runner plays it: a new DoFn
 * instance holds the chunks of the restored state again, with the numbers they had, in any order.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WriteExactlyOnceTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final long RUN = 0x5eed_1234_abcd_0001L;

  private KafkaBroker broker;
  private KafkaTestClient client;
  private String topic;

  @BeforeEach
  void createTopic(KafkaBroker broker) {
    this.broker = broker;
    client = new KafkaTestClient(broker).quietPeriod(Duration.ofMillis(500));
    topic = KafkaBroker.uniqueTopicName("ingest.1.eos") + ".out";
    broker.createTopic(topic, 2);
  }

  private KafkaSettings settings() {
    return new KafkaSettings(broker.bootstrapServers(), null, TopicNames.forInput("ingest.1.eos.in"), Map.of());
  }

  /**
   * One run of the writer over records {@code from} to {@code to} (exclusive) of {@code run}, in chunks that
   * end at multiples of 3, in a new pipeline: a new DoFn instance with empty state, as after a restore from
   * before its first bundle. A replay from 0 to 15 after a run to 10 so has a chunk (9-11) half written.
   */
  private void write(long run, int from, int to, WriterFaults faults) {
    List<KV<Integer, SequencedChunk>> chunks = new ArrayList<>();
    for (int first = from; first < to; first = Math.min(to, (first / 3 + 1) * 3)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int sequence = first; sequence < Math.min(to, (first / 3 + 1) * 3); sequence++) {
        records.add(record(sequence));
      }
      chunks.add(KV.of(0, new SequencedChunk(run, first, RecordChunk.of(records))));
    }
    Collections.shuffle(chunks, new Random(to)); // runners may reorder; the writer restores the order
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    pipeline
        .apply(Create.of(chunks).withCoder(KvCoder.of(VarIntCoder.of(), new SequencedChunk.SequencedChunkCoder())))
        .apply(ParDo.of(new WriteTransactionsFn(
            settings().transactionalProducer(), settings().admin(), topic, "hri-" + topic, faults)));
    pipeline.run().waitUntilFinish();
  }

  private ProducerRecord<byte[], byte[]> record(long sequence) {
    return new ProducerRecord<>(
        topic, null, null, ("key-" + sequence).getBytes(UTF_8), ("value-" + sequence).getBytes(UTF_8),
        List.of(new RecordHeader("batchId", "b-1".getBytes(UTF_8)), new RecordHeader("empty", null)));
  }

  private List<String> committedValues(int count) {
    List<String> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : client.readExactly(topic, count, DEADLINE)) {
      values.add(new String(record.value(), UTF_8));
    }
    return values;
  }

  private static List<String> values(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "value-" + i).toList();
  }

  @Test
  void writesKeysValuesAndHeadersAsTheyAre() {
    write(RUN, 0, 3, WriterFaults.none());

    List<ConsumerRecord<byte[], byte[]>> records = client.readExactly(topic, 3, DEADLINE);
    assertThat(records.stream().map(r -> new String(r.key(), UTF_8)).toList(),
        containsInAnyOrder("key-0", "key-1", "key-2"));
    assertThat(new String(records.get(0).headers().lastHeader("batchId").value(), UTF_8), is("b-1"));
    assertThat(records.get(0).headers().lastHeader("empty").value(), is((byte[]) null));
    assertThat(records.get(0).headers().toArray().length, is(2));
  }

  @Test
  void aRestoreReplaysOnlyWhatNoCommittedTransactionHolds() {
    write(RUN, 0, 10, WriterFaults.none());
    write(RUN, 0, 15, WriterFaults.none()); // 0-9 again from the restored state, then 10-14

    assertThat(committedValues(15), containsInAnyOrder(values(0, 15).toArray()));
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aFailureInAnyWindowOfTheProtocolLosesAndRepeatsNothing(Step step, @TempDir Path faults)
      throws IOException {
    write(RUN, 0, 5, WriterFaults.none());
    for (Step earlier : Step.values()) {
      if (earlier.compareTo(step) < 0) {
        Files.createFile(faults.resolve(earlier.name())); // as if it had failed there already
      }
    }
    PipelineExecutionException failed =
        assertThrows(
            PipelineExecutionException.class,
            () -> write(RUN, 5, 10, WriterFaults.oncePerStep(faults.toString())),
            "fails at " + step);
    assertThat(failed.getCause(), instanceOf(InjectedWriterFault.class));
    assertThat(failed.getCause().getMessage(), is("Injected writer failure at " + step));

    write(RUN, 5, 12, WriterFaults.none());

    assertThat(committedValues(12), containsInAnyOrder(values(0, 12).toArray()));
  }

  @Test
  void aNewJobWritesWhateverAnEarlierJobLeftAsItsPosition() {
    write(RUN, 0, 5, WriterFaults.none());
    write(RUN + 1, 0, 3, WriterFaults.none()); // a new job's shard starts a new run at 0

    assertThat(committedValues(8), containsInAnyOrder("value-0", "value-0", "value-1", "value-1", "value-2",
        "value-2", "value-3", "value-4"));
  }

  @Test
  void aRestoredRunIsRecognisedAfterANewerRunCommitted() {
    write(RUN, 0, 5, WriterFaults.none());
    write(RUN + 1, 0, 3, WriterFaults.none()); // a new run, after a rollback
    write(RUN, 0, 5, WriterFaults.none()); // the older run's buffer replayed after another restore

    assertThat(committedValues(8), containsInAnyOrder("value-0", "value-0", "value-1", "value-1", "value-2",
        "value-2", "value-3", "value-4"));
  }

  @Test
  void aPipelineWritesEveryRecordOnceOverSeveralShards() {
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    List<ProducerRecord<byte[], byte[]>> records =
        IntStream.range(0, 1_000)
            .mapToObj(
                i -> new ProducerRecord<byte[], byte[]>(
                    topic, null, null, null, ("value-" + i).getBytes(UTF_8),
                    List.of(new RecordHeader("n", Integer.toString(i).getBytes(UTF_8)))))
            .toList();
    PCollectionList.of(pipeline.apply(Create.of(records).withCoder(new KafkaRecordCoder())))
        .apply(new WriteExactlyOnce(settings().transactionalProducer(), settings().admin(), topic, 3,
            WriterFaults.none()));
    pipeline.run().waitUntilFinish();

    List<ConsumerRecord<byte[], byte[]>> written = client.readExactly(topic, 1_000, DEADLINE);
    assertThat(written.stream().map(r -> new String(r.value(), UTF_8)).toList(),
        containsInAnyOrder(values(0, 1_000).toArray()));
    for (ConsumerRecord<byte[], byte[]> record : written) {
      assertThat(new String(record.value(), UTF_8),
          is("value-" + new String(record.headers().lastHeader("n").value(), UTF_8)));
    }
  }
}

package org.hri.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hri.cli.Tool;
import org.hri.cli.TopicCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The baseline: a plain consumer→producer loop that copies a topic with its keys and headers — the most any
 * pipeline can do on this broker and machine. It compresses with zstd, as the HRI spec asks of every producer,
 * and batches up to 256 KB with a 5 ms linger (the best of the settings measured, docs/performance.md). Every
 * second, like the Flink job's
 * checkpoints, it flushes the producer and then commits the consumer's offsets: at least once.
 *
 * <p>{@code KafkaCopy --brokers=B --from=TOPIC --to=TOPIC --records=N [--producer=key=value ...]} exits once it
 * has copied that many records; the optional producer settings override the job's (to measure their effect).
 */
@Command(name = "KafkaCopy", description = "The benchmark's baseline: copies N records.")
public final class KafkaCopy extends Tool {
  private static final long COMMIT_INTERVAL_MS = 1_000;

  @Mixin private TopicCopy topics;

  @Option(names = "--records", required = true, paramLabel = "N", description = "stop after this many")
  private long records;

  @Option(names = "--producer", paramLabel = "KEY=VALUE", description = "a producer setting (repeatable)")
  private Map<String, String> producerSettings = new LinkedHashMap<>();

  private KafkaCopy() {}

  public static void main(String[] args) {
    System.exit(new KafkaCopy().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() {

    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.brokers());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-copy-" + topics.from());
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.brokers());
    producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10_485_760);
    producerConfig.putAll(producerSettings);

    long copied = 0;
    long lastCommit = System.currentTimeMillis();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.subscribe(List.of(topics.from()));
      while (copied < records) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          producer.send(
              new ProducerRecord<>(topics.to(), null, null, record.key(), record.value(), record.headers()));
        }
        copied += polled.count();
        if (System.currentTimeMillis() - lastCommit >= COMMIT_INTERVAL_MS) {
          producer.flush();
          consumer.commitAsync();
          lastCommit = System.currentTimeMillis();
        }
      }
      producer.flush();
      consumer.commitSync();
    }
    return 0;
  }
}

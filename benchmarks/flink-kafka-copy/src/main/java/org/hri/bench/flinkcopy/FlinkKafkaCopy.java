package org.hri.bench.flinkcopy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.hri.cli.Tool;
import org.hri.cli.TopicCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark's second baseline: what a hand-written Flink job does with the job's work minus validation — a
 * DataStream copy of a topic, keys, values and headers, with Flink's {@link KafkaSource} (read_committed) and
 * an exactly-once {@link KafkaSink}. It runs as the job does in the bench: an embedded Flink (a mini cluster in
 * this JVM, configured from {@code --flinkConfDir} as Beam's {@code --flinkMaster=[local]} is), parallelism 2,
 * exactly-once checkpoints every 300 ms (120 s timeout, one at a time), heap state with checkpoints in files.
 * The producer compresses with zstd, as the job's does (the HRI spec asks it of every producer).
 *
 * <p>{@code FlinkKafkaCopy --brokers=B --from=TOPIC --to=TOPIC [--flinkConfDir=DIR]} runs until it is stopped.
 */
@Command(name = "FlinkKafkaCopy", description = "The benchmark's hand-written Flink baseline: copies a topic.")
public final class FlinkKafkaCopy extends Tool {
  /** The job's (runners/flink FlinkDefaults). */
  static final long CHECKPOINT_INTERVAL_MS = 300;
  static final long CHECKPOINT_TIMEOUT_MS = 120_000;
  /** The job's transaction timeout; KafkaSink's default (1 h) is over the broker's maximum (15 min). */
  static final int TRANSACTION_TIMEOUT_MS = 900_000;

  @Mixin private TopicCopy topics;

  @Option(names = "--parallelism", defaultValue = "2", description = "default ${DEFAULT-VALUE}, as the bench's job")
  private int parallelism;

  @Option(names = "--flinkConfDir", paramLabel = "DIR", description = "a directory with a flink-conf.yaml")
  private Path flinkConfDir;

  private FlinkKafkaCopy() {}

  public static void main(String[] args) {
    System.exit(new FlinkKafkaCopy().execute(args, System.out, System.err));
  }

  @Override
  public Integer call() throws Exception {
    Configuration conf = flinkConfDir == null ? new Configuration()
        : GlobalConfiguration.loadConfiguration(flinkConfDir.toString());
    // As the job embedded: heap state, checkpoints in files rather than the JobManager's memory. They hold source
    // offsets and transaction ids only: KafkaSink writes records into the open transaction, not the checkpoint.
    Path checkpoints = Files.createDirectories(
        Path.of(System.getProperty("java.io.tmpdir"), "hri-flink-kafka-copy-checkpoints", topics.to()));
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    env.enableCheckpointing(CHECKPOINT_INTERVAL_MS, CheckpointingMode.EXACTLY_ONCE);
    env.getCheckpointConfig().setCheckpointTimeout(CHECKPOINT_TIMEOUT_MS);
    env.getCheckpointConfig().setMaxConcurrentCheckpoints(1);

    env.fromSource(source(), WatermarkStrategy.noWatermarks(), "KafkaSource")
        .sinkTo(sink())
        .name("KafkaSink");
    env.execute("hri-bench-flink-kafka-copy-" + topics.to());
    return 0;
  }

  private KafkaSource<CopiedRecord> source() {
    return KafkaSource.<CopiedRecord>builder()
        .setBootstrapServers(topics.brokers())
        .setTopics(topics.from())
        .setGroupId("bench-flink-copy-" + topics.from())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(new CopiedRecord.Deserializer())
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .build();
  }

  private KafkaSink<CopiedRecord> sink() {
    return KafkaSink.<CopiedRecord>builder()
        .setBootstrapServers(topics.brokers())
        .setRecordSerializer(new CopiedRecord.Serializer(topics.to()))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        // Unique on the broker per output topic: another run's transactions are never fenced or aborted.
        .setTransactionalIdPrefix("hri-bench-flink-copy-" + topics.to())
        .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(TRANSACTION_TIMEOUT_MS))
        .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
        .build();
  }
}

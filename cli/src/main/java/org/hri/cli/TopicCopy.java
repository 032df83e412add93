package org.hri.cli;

import picocli.CommandLine.Option;

/**
 * The options of a tool that copies one Kafka topic to another (the benchmark's two baselines), as a picocli
 * {@code @Mixin}: {@code --brokers}, {@code --from}, {@code --to}.
 */
public final class TopicCopy {
  @Option(names = "--brokers", required = true, description = "Kafka bootstrap servers")
  private String brokers;

  @Option(names = "--from", required = true, paramLabel = "TOPIC", description = "the topic to copy")
  private String from;

  @Option(names = "--to", required = true, paramLabel = "TOPIC", description = "the topic to write")
  private String to;

  public String brokers() {
    return brokers;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}

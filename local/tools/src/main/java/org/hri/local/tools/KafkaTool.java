package org.hri.local.tools;

import java.util.Map;
import org.hri.cli.Tool;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;
import picocli.CommandLine.Option;

/** A local tool that works on a stream's Kafka topics: its options' mixins and what it makes of them. */
public abstract class KafkaTool extends Tool {
  /** {@code --brokers} and {@code --input}: the broker and the stream a tool works on (a picocli mixin). */
  public static final class Stream {
    @Option(names = "--brokers", required = true, paramLabel = "HOST:PORT[,...]",
        description = "Kafka bootstrap servers")
    public String brokers;

    @Option(names = "--input", required = true, paramLabel = "ingest.<tenant>.<integrator>[.q].in",
        description = "the stream's input topic; the tenant is its second element")
    public String input;
  }

  /** {@code --password} and {@code --kafkaProperties}: how a tool's Kafka clients connect (a picocli mixin). */
  public static final class KafkaClient {
    @Option(names = "--password", description = "Event Streams API key: SASL PLAIN over TLS (user 'token')")
    String password;

    @Option(names = "--kafkaProperties", paramLabel = "k=v[,k=v...]", description = "extra Kafka client properties")
    String properties;
  }

  /** The stream of {@code --input}; a usage error when it is not an input topic's name. */
  protected final TopicNames topics(String input) {
    try {
      return TopicNames.forInput(input);
    } catch (TopicNamingException e) {
      throw usage(e.getMessage());
    }
  }

  /** The Kafka client settings of {@code --brokers} and {@code client}'s options; a usage error when bad. */
  protected final Map<String, Object> kafkaClient(String brokers, KafkaClient client) {
    try {
      return KafkaClientSettings.base(brokers, client.password, KafkaClientSettings.parseProperties(client.properties));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }
}

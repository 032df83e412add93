package org.hri.pipeline;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Options of the HRI validation job. Names follow the original job's flags ({@code --brokers},
 * {@code --input}, {@code --mgmtUrl}, ...). Exactly one of {@code --standalone} or the Management API group
 * ({@code --mgmtUrl}, {@code --clientId}, {@code --clientSecret}, {@code --audience}, {@code --oauthUrl}) must be
 * given; {@link HriOptionsCheck} explains what is missing in one line.
 */
public interface HriPipelineOptions extends PipelineOptions, StreamingOptions {
  @Description("Kafka bootstrap servers, comma-separated (required)")
  String getBrokers();

  void setBrokers(String value);

  @Description("Input topic: ingest.<tenant>.<integrator>[.qualifier].in (required)")
  String getInput();

  void setInput(String value);

  @Description("Kafka SASL PLAIN password (Event Streams API key) as env:NAME or file:/path (a literal works but is published with the options); without it no SASL/TLS settings are made")
  String getPassword();

  void setPassword(String value);

  @Description("A Kafka client .properties file (SCRAM, mTLS, OAUTHBEARER, values with commas); its values are read"
      + " by the Kafka clients where they run and never enter the job's configuration")
  String getKafkaConfigFile();

  void setKafkaConfigFile(String value);

  @Description("Extra Kafka client properties as key=value, comma-separated; they override the job's")
  List<String> getKafkaProperties();

  void setKafkaProperties(List<String> value);

  @Description("Milliseconds to wait for more records after a batch's counts match before completing it")
  @Default.Long(ProcessBatches.DEFAULT_COMPLETION_DELAY_MS)
  Long getBatchCompletionDelay();

  void setBatchCompletionDelay(Long value);

  @Description("Run without the Management API: verdicts are written straight to the notification topic")
  @Default.Boolean(false)
  boolean isStandalone();

  void setStandalone(boolean value);

  @Description("Management API base URL, ending in /hri")
  String getMgmtUrl();

  void setMgmtUrl(String value);

  @Description("OAuth client id of the HRI internal application")
  String getClientId();

  void setClientId(String value);

  @Description("OAuth client secret of the HRI internal application, as env:NAME or file:/path (read for each token request; a literal works but is published with the options)")
  String getClientSecret();

  void setClientSecret(String value);

  @Description("OAuth audience (the HRI application's client id)")
  String getAudience();

  void setAudience(String value);

  @Description("OAuth service base URL; /token is appended")
  String getOauthUrl();

  void setOauthUrl(String value);

  @Description("Validator to run, by registered name")
  @Default.String("passthrough")
  String getValidator();

  void setValidator(String value);

  @Description("Management API retries: first backoff in milliseconds")
  @Default.Long(1_000L)
  Long getMgmtInitialBackoff();

  void setMgmtInitialBackoff(Long value);

  @Description("Management API retries: longest backoff in milliseconds")
  @Default.Long(300_000L)
  Long getMgmtMaxBackoff();

  void setMgmtMaxBackoff(Long value);

  @Description("Management API retries: give up after this many milliseconds (a lookup quarantines its batch, a verdict is dropped and logged)")
  @Default.Long(86_400_000L)
  Long getMgmtRetryTimeout();

  void setMgmtRetryTimeout(Long value);

  @Description("Standalone mode: milliseconds a record of a batch not yet notified is held before it is invalid")
  @Default.Long(ProcessBatches.DEFAULT_UNKNOWN_BATCH_TIMEOUT_MS)
  Long getUnknownBatchTimeout();

  void setUnknownBatchTimeout(Long value);

  @Description("Milliseconds a batch stays in the validation side input after reaching a final status")
  @Default.Long(ProcessBatches.DEFAULT_FINISHED_BATCH_RETENTION_MS)
  Long getFinishedBatchRetention();

  void setFinishedBatchRetention(Long value);

  @Description(
      "Write *.out, *.invalid and standalone notifications in Kafka transactions, exactly once; needs a runner"
          + " that supports it (Flink with checkpointing, Dataflow). Unset: the runner's job decides (Flink: on)")
  Boolean getExactlyOnce();

  void setExactlyOnce(Boolean value);

  @Description("Exactly-once writer shards per output topic (each shard is one transactional producer)")
  @Default.Integer(1)
  int getExactlyOnceShards();

  void setExactlyOnceShards(int value);

  @Description(
      "For failover tests only: a directory; the *.out writer fails once at each step of its transaction protocol"
          + " (after sending, before committing, after committing), leaving a file per step there")
  @Hidden
  String getInjectWriterFaults();

  void setInjectWriterFaults(String value);

  @Description(
      "Kafka topic for dead letters, written at least once: messages on the notification topic that are not"
          + " notifications and verdicts the Management API never applied, as JSON with the reason (never a"
          + " payload). Unset: they are only logged and counted")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("Milliseconds a batch's tracking state is kept after its last event")
  @Default.Long(ProcessBatches.DEFAULT_STATE_TTL_MS)
  Long getBatchStateTtl();

  void setBatchStateTtl(Long value);
}

package org.hri.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hri.pipeline.HriPipeline;
import org.hri.pipeline.HriPipelineOptions;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;

/**
 * Runs a validator through the real HRI job — {@link HriPipeline} on Beam's DirectRunner, in standalone mode —
 * against an in-process Kafka broker, so a validator author's test sees exactly what the job would write:
 *
 * <pre>{@code
 * try (ValidatorTestRun run = ValidatorTestKit.forValidator(new MyValidation()).start()) {
 *   ValidatorTestRun.Outcome outcome = run.batch("batch-1")
 *       .record("{\"ok\":true}")
 *       .record("not json")
 *       .sendCompleted()
 *       .awaitVerdict();
 *   assertThat(outcome.status(), is(BatchStatus.COMPLETED));
 *   assertThat(outcome.validValues(), contains("{\"ok\":true}"));
 *   assertThat(outcome.failuresByRecord(), is(Map.of(1, "Invalid JSON: syntax error at line 1, column 4")));
 * }
 * }</pre>
 *
 * <p>A run is a job on a stream of its own (four fresh topics); starting one costs a few seconds, so start it
 * once per test class ({@code @BeforeAll}) and give each test a batch of its own. Batches of one run are
 * independent.
 *
 * <p>The broker: by default one in-process KRaft broker per JVM, started on the first {@link #start()} and
 * stopped by a JVM shutdown hook — it is {@link KafkaBrokerExtension#broker()}, so tests that also use
 * {@code @ExtendWith(KafkaBrokerExtension.class)} share it (and JUnit then stops it at the end of the run). Pass
 * another with {@link #withBroker}.
 *
 * <p>The job runs with {@code --standalone} (verdicts are written to {@code *.notification}),
 * {@code --batchCompletionDelay=250} and {@code auto.offset.reset=earliest}, so records sent before the job's
 * consumers start are not missed. Instances are immutable; each {@code with...} returns a copy.
 */
public final class ValidatorTestKit {
  /** How long a wait for the job (a verdict, a record's notice) may take by default. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

  /** The kit's completion delay: long enough to be a real delay, short enough for tests. */
  static final long COMPLETION_DELAY_MS = 250;

  // Options the kit sets itself: changing them would break how it feeds the job and reads the results.
  private static final Set<String> RESERVED =
      Set.of(
          "brokers", "input", "standalone", "password", "kafkaProperties", "mgmtUrl", "oauthUrl", "clientId",
          "clientSecret", "audience", "validator", "runner", "blockOnRun", "streaming");
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final ValidateRecords validation; // null when the validator is looked up by name
  private final String validatorName;
  private final List<String> args;
  private final KafkaBroker broker; // null: the JVM-wide broker
  private final Duration deadline;
  private final int inputPartitions;

  private ValidatorTestKit(
      ValidateRecords validation, String validatorName, List<String> args, KafkaBroker broker, Duration deadline,
      int inputPartitions) {
    this.validation = validation;
    this.validatorName = validatorName;
    this.args = List.copyOf(args);
    this.broker = broker;
    this.deadline = deadline;
    this.inputPartitions = inputPartitions;
  }

  /** Runs this validation transform (any {@link ValidateRecords}, e.g. {@code ValidateRecords.using(...)}). */
  public static ValidatorTestKit forValidator(ValidateRecords validation) {
    return new ValidatorTestKit(
        Objects.requireNonNull(validation, "validation"), null, List.of(), null, DEFAULT_DEADLINE, 2);
  }

  /**
   * Runs the validator registered as {@code name} (a {@code ValidatorProvider} on the test classpath), as
   * {@code --validator=name} does; its options come from {@link #withArgs}. Tests the provider and the options
   * registrar too.
   */
  public static ValidatorTestKit forValidatorNamed(String name) {
    return new ValidatorTestKit(null, Objects.requireNonNull(name, "name"), List.of(), null, DEFAULT_DEADLINE, 2);
  }

  /**
   * Adds job arguments, e.g. the validator's own options ({@code "--myOption=x"}) or
   * {@code "--batchCompletionDelay=2000"}, which replaces the kit's value. Options the kit needs to set itself
   * ({@code --brokers}, {@code --input}, {@code --standalone}, {@code --kafkaProperties}, {@code --validator},
   * {@code --runner}, the Management API ones) are refused.
   */
  public ValidatorTestKit withArgs(String... more) {
    List<String> all = new ArrayList<>(args);
    for (String arg : more) {
      String name = optionName(arg);
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("withArgs: --" + name + " is set by the validator test kit");
      }
      all.add(arg);
    }
    return new ValidatorTestKit(validation, validatorName, all, broker, deadline, inputPartitions);
  }

  /** Uses this broker instead of the JVM-wide one; the kit does not close it. */
  public ValidatorTestKit withBroker(KafkaBroker broker) {
    return new ValidatorTestKit(
        validation, validatorName, args, Objects.requireNonNull(broker, "broker"), deadline, inputPartitions);
  }

  /** How long each wait may take before it fails with an AssertionError (default 60 s). */
  public ValidatorTestKit withDeadline(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("withDeadline: must be positive");
    }
    return new ValidatorTestKit(validation, validatorName, args, broker, deadline, inputPartitions);
  }

  /** Partitions of {@code *.in} and {@code *.out} (default 2, so records are validated in parallel). */
  public ValidatorTestKit withInputPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("withInputPartitions: must be at least 1");
    }
    return new ValidatorTestKit(validation, validatorName, args, broker, deadline, partitions);
  }

  /**
   * Creates the run's four topics and starts the job; returns without waiting for the job's consumers (the
   * job reads from the earliest offset). Bad options fail here with the job's one-line message.
   */
  public ValidatorTestRun start() {
    String run = "run" + RUNS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    TopicNames topics = TopicNames.forInput("ingest.testkit." + run + ".in");
    // The first broker start and Beam's first option parsing both take seconds of class loading: overlap them.
    CompletableFuture<KafkaBroker> startingBroker =
        broker != null
            ? CompletableFuture.completedFuture(broker)
            : CompletableFuture.supplyAsync(KafkaBrokerExtension::broker);
    HriPipelineOptions options =
        PipelineOptionsFactory.fromArgs(jobArgs(topics).toArray(String[]::new)).as(HriPipelineOptions.class);
    KafkaBroker kafka = join(startingBroker);
    options.setBrokers(kafka.bootstrapServers());
    options.setRunner(DirectRunner.class);
    // run() returns at once; the job runs until the test closes the run.
    options.as(DirectOptions.class).setBlockOnRun(false);
    // Build before creating topics: a bad option or validator name then costs nothing.
    Pipeline pipeline;
    if (validation != null) {
      pipeline = HriPipeline.create(options, validation);
    } else {
      options.setValidator(validatorName);
      pipeline = HriPipeline.create(options);
    }
    kafka.createTopics(
        Map.of(topics.input(), inputPartitions, topics.output(), inputPartitions, topics.invalid(), 1,
            topics.notification(), 1));
    return ValidatorTestRun.start(kafka, topics, pipeline, deadline);
  }

  private static KafkaBroker join(CompletableFuture<KafkaBroker> broker) {
    try {
      return broker.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private List<String> jobArgs(TopicNames topics) {
    Map<String, String> byName = new LinkedHashMap<>();
    byName.put("batchCompletionDelay", "--batchCompletionDelay=" + COMPLETION_DELAY_MS);
    // As scripts/hri-direct runs the job. The DirectRunner's checks copy and re-encode every element at every
    // step, which is slow for large records, and the immutability check logs a warning per record written
    // that quotes its header values.
    byName.put("enforceImmutability", "--enforceImmutability=false");
    byName.put("enforceEncodability", "--enforceEncodability=false");
    for (String arg : args) {
      byName.put(optionName(arg), arg); // the user's value replaces the kit's default
    }
    List<String> all = new ArrayList<>(List.of(
        "--input=" + topics.input(),
        "--standalone",
        "--kafkaProperties=auto.offset.reset=earliest"));
    all.addAll(byName.values());
    return all;
  }

  private static String optionName(String arg) {
    if (arg == null || !arg.startsWith("--") || arg.length() < 3) {
      throw new IllegalArgumentException("withArgs: expected --name=value or --name");
    }
    int equals = arg.indexOf('=');
    return equals < 0 ? arg.substring(2) : arg.substring(2, equals);
  }

  /** A header with a UTF-8 value (null for a header without value), for {@code Batch.record(...)}. */
  public static HriHeader header(String key, String value) {
    return new HriHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}

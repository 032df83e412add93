package org.hri.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Kafka 3.9 broker (KRaft combined broker+controller, no ZooKeeper, no Docker) running inside
 * the test JVM.
 *
 * <h2>How tests use it</h2>
 *
 * <p>Most tests should share one broker per JVM through {@link KafkaBrokerExtension} (it starts on first use and
 * stops at the end of the test run) and talk to it through {@link KafkaTestClient}:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class MyPipelineTest {
 *   @Test
 *   void routesValidRecords(KafkaBroker broker, KafkaTestClient kafka) {
 *     String in = KafkaBroker.uniqueTopicName("in");             // the broker is shared: never reuse names
 *     String out = KafkaBroker.uniqueTopicName("out");
 *     broker.createTopics(3, in, out);
 *     kafka.send(in, "key", "{\"a\":1}", KafkaTestClient.headers("batchId", "b1"));
 *     // ... run the pipeline against broker.bootstrapServers() ...
 *     List<ConsumerRecord<byte[], byte[]>> got = kafka.readExactly(out, 1, Duration.ofSeconds(60));
 *   }
 * }
 * }</pre>
 *
 * <p>A test that needs a broker of its own (e.g. to stop it) uses {@code try (KafkaBroker b = KafkaBroker.start())}.
 *
 * <h2>What you get</h2>
 *
 * <ul>
 *   <li>One PLAINTEXT listener on {@code 127.0.0.1} on a free ephemeral port ({@link #bootstrapServers()}); the
 *       controller listener is on a second free port.</li>
 *   <li>Data in a fresh temporary directory, deleted by {@link #close()}.</li>
 *   <li>Single-node settings so that everything works with one replica: offsets topic and transaction state log
 *       replication factor 1 (transactional producers and {@code isolation.level=read_committed} work),
 *       {@code group.initial.rebalance.delay.ms=0} (consumer groups join immediately), {@code num.partitions=1} and
 *       automatic topic creation on (the first produce to an unknown topic logs a harmless
 *       {@code UNKNOWN_TOPIC_OR_PARTITION} warning and creates it with one partition). Create topics explicitly with
 *       {@link #createTopic} when the partition count matters.</li>
 *   <li>Start-up takes about 1.5–2 s.</li>
 * </ul>
 *
 * <p>Logging: the broker logs through slf4j and is chatty at INFO. Quieting it is the test classpath's business, e.g.
 * {@code src/test/resources/simplelogger.properties} with {@code org.slf4j.simpleLogger.log.org.apache.kafka=warn}
 * and {@code org.slf4j.simpleLogger.log.kafka=warn}.
 *
 * <p>While any broker of this class runs, Kafka's {@link Exit} procedures are replaced by ones that throw instead of
 * calling {@code System.exit}/{@code Runtime.halt}, so a fatal broker fault fails tests instead of killing the
 * surefire JVM.
 *
 * <p>The broker is Kafka 3.9.x on purpose: it shares the classpath with the pipeline's {@code kafka-clients} 3.9.x
 * (KafkaIO needs 3.x clients).
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final int START_ATTEMPTS = 3;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final String bootstrapServers;
  private final String secureBootstrapServers;
  private final SaslSsl saslSsl;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Admin admin; // guarded by this

  private KafkaBroker(
      KafkaRaftServer server, Path dataDir, String bootstrapServers, String secureBootstrapServers, SaslSsl saslSsl) {
    this.server = server;
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.secureBootstrapServers = secureBootstrapServers;
    this.saslSsl = saslSsl;
  }

  /**
   * A SASL_SSL listener besides the PLAINTEXT one, the way Event Streams listens: SASL PLAIN (and
   * SCRAM-SHA-512 for users added with {@link #addScramUser}) over TLS (the
   * {@code tlsProtocols}, e.g. {@code TLSv1.3}), one user and password, a server certificate for
   * {@code localhost} only (so a client that connects to {@code 127.0.0.1} must refuse it, hostname
   * verification being on). With a {@code reauthentication} period the broker makes every client authenticate
   * again that often ({@code connections.max.reauth.ms}); null for never.
   */
  public record SaslSsl(
      TestCertificates authority, String user, String password, String tlsProtocols, Duration reauthentication) {
    public SaslSsl(TestCertificates authority, String user, String password, String tlsProtocols) {
      this(authority, user, password, tlsProtocols, null);
    }
  }

  /** Counts of the SASL_SSL listener's authentications since the broker started (Kafka's own metrics). */
  public record Authentications(long succeeded, long failed, long reauthenticated, long reauthenticationsFailed) {}

  /** {@link #start()} with a {@link SaslSsl} listener too; see {@link #secureBootstrapServers()}. */
  public static KafkaBroker start(SaslSsl saslSsl) {
    return startWith(Objects.requireNonNull(saslSsl));
  }

  /**
   * Formats a fresh temporary log directory and starts a broker on it. Returns once the broker accepts clients.
   *
   * @throws IllegalStateException if the broker does not come up (after a few attempts with new ports)
   */
  public static KafkaBroker start() {
    return startWith(null);
  }

  private static KafkaBroker startWith(SaslSsl saslSsl) {
    long t0 = System.nanoTime();
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        KafkaBroker broker = tryStart(saslSsl);
        LOG.info("Kafka broker started at {} in {} ms (data in {})", broker.bootstrapServers,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), broker.dataDir);
        return broker;
      } catch (RuntimeException e) {
        // Most likely another process took one of the "free" ports between probing and binding: retry.
        last = e;
        LOG.warn("Kafka broker start attempt {}/{} failed: {}", attempt, START_ATTEMPTS, e.toString());
      }
    }
    throw new IllegalStateException("Could not start the in-process Kafka broker", last);
  }

  private static KafkaBroker tryStart(SaslSsl saslSsl) {
    Path dir;
    try {
      dir = Files.createTempDirectory("hri-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaRaftServer server = null;
    KafkaBroker broker = null;
    boolean exitTrapped = false;
    try {
      int[] ports = freePorts(3);
      int port = ports[0];
      int controllerPort = ports[1];
      Properties properties = brokerProperties(dir, port, controllerPort);
      String secure = null;
      if (saslSsl != null) {
        secure = "localhost:" + ports[2];
        addSaslSslListener(properties, saslSsl, ports[2], dir);
      }
      KafkaConfig config = new KafkaConfig(properties, false);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(dir.toString())
          .setDirectories(List.of(dir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      trapExit();
      exitTrapped = true;
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup(); // returns once the broker is registered and unfenced
      broker = new KafkaBroker(server, dir, "127.0.0.1:" + port, secure, saslSsl);
      broker.admin().describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return broker;
    } catch (Exception e) {
      if (broker != null) {
        broker.closeAdmin();
      }
      if (server != null) {
        stopQuietly(server);
      }
      if (exitTrapped) {
        releaseExit();
      }
      deleteRecursively(dir);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
    }
  }

  static Properties brokerProperties(Path dir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toString());
    // One node: every internal topic gets one replica, otherwise groups and transactions never become available.
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    // Test-sized resources (the machine has 2 cores; defaults are 3 network / 8 io threads and a 128 MB buffer).
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    return p;
  }

  /** Adds the SASL_SSL listener on {@code port}; its key store goes into the broker's directory. */
  private static void addSaslSslListener(Properties p, SaslSsl saslSsl, int port, Path dir) {
    String keyStorePassword = UUID.randomUUID().toString();
    Path keyStore =
        saslSsl.authority().writeServerKeyStore(dir.resolve("listener.p12"), List.of("localhost"), keyStorePassword);
    p.put("listeners", p.getProperty("listeners") + ",SASL_SSL://localhost:" + port);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL_SSL://localhost:" + port);
    p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
    p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
    p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    Path passwords = plainPasswords(dir);
    PlainPasswordsCallbackHandler.write(passwords, saslSsl.user(), Set.of(saslSsl.password()));
    p.put("listener.name.sasl_ssl.plain.sasl.server.callback.handler.class",
        PlainPasswordsCallbackHandler.class.getName());
    p.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + PlainPasswordsCallbackHandler.PASSWORDS + "=\"" + passwords + "\";");
    if (saslSsl.reauthentication() != null) {
      String millis = String.valueOf(saslSsl.reauthentication().toMillis());
      p.put("listener.name.sasl_ssl.plain.connections.max.reauth.ms", millis);
      p.put("listener.name.sasl_ssl.scram-sha-512.connections.max.reauth.ms", millis);
    }
    p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    p.put("listener.name.sasl_ssl.ssl.keystore.location", keyStore.toString());
    p.put("listener.name.sasl_ssl.ssl.keystore.password", keyStorePassword);
    p.put("listener.name.sasl_ssl.ssl.key.password", keyStorePassword);
    p.put("listener.name.sasl_ssl.ssl.enabled.protocols", saslSsl.tlsProtocols());
  }

  private static Path plainPasswords(Path dir) {
    return dir.resolve("plain-passwords");
  }

  /**
   * Makes {@code passwords} the SASL_SSL listener's PLAIN passwords of its user, from its next authentication
   * on, in place of those it had (a key rotation: add the new key, then revoke the old one).
   */
  public void acceptPlainPasswords(String... passwords) {
    if (saslSsl == null) {
      throw new IllegalStateException("The broker has no SASL_SSL listener");
    }
    PlainPasswordsCallbackHandler.write(plainPasswords(dataDir), saslSsl.user(), Set.of(passwords));
  }

  /** The SASL_SSL listener's authentications so far, summed over the broker's network threads. */
  public Authentications authentications() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      long[] totals = new long[4];
      String[] names = {"successful-authentication-total", "failed-authentication-total",
          "successful-reauthentication-total", "failed-reauthentication-total"};
      for (ObjectName processor :
          server.queryNames(new ObjectName("kafka.server:type=socket-server-metrics,listener=SASL_SSL,networkProcessor=*"), null)) {
        for (int i = 0; i < names.length; i++) {
          totals[i] += ((Number) server.getAttribute(processor, names[i])).longValue();
        }
      }
      return new Authentications(totals[0], totals[1], totals[2], totals[3]);
    } catch (JMException e) {
      throw new IllegalStateException("Cannot read the broker's authentication metrics", e);
    }
  }

  /** Adds a SCRAM-SHA-512 user, for the SASL_SSL listener (it takes PLAIN and SCRAM-SHA-512). */
  public void addScramUser(String user, String password) {
    try {
      admin()
          .alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
              user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot add SCRAM user " + user, e);
    }
  }

  /** {@code localhost:port} of the SASL_SSL listener, or null when the broker has none. */
  public String secureBootstrapServers() {
    return secureBootstrapServers;
  }

  /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's log directory (a temporary directory, deleted by {@link #close()}). */
  public Path dataDirectory() {
    return dataDir;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * A name that has not been used in this JVM, {@code prefix-N-xxxxxxxx}. Use one per test: the broker is shared by
   * all test classes, and topics (and consumer group ids) outlive a test.
   */
  public static String uniqueTopicName(String prefix) {
    return prefix + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Creates a topic with replication factor 1 and waits until every partition has a leader.
   *
   * @throws IllegalStateException if the topic already exists or creation fails or times out (30 s)
   */
  public void createTopic(String name, int partitions) {
    createTopics(Map.of(name, partitions));
  }

  /** Creates several topics with the same number of partitions; see {@link #createTopic}. */
  public void createTopics(int partitions, String... names) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String name : names) {
      topics.put(name, partitions);
    }
    createTopics(topics);
  }

  /** Creates topics (name → partition count, replication factor 1) and waits until all partitions have a leader. */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    createTopics(partitionsByTopic, Map.of());
  }

  /** As {@link #createTopics(Map)}, each topic with the given topic configs (e.g. the timestamp type). */
  public void createTopics(Map<String, Integer> partitionsByTopic, Map<String, String> topicConfigs) {
    checkOpen();
    List<NewTopic> newTopics = new ArrayList<>();
    partitionsByTopic.forEach(
        (name, partitions) -> newTopics.add(new NewTopic(name, partitions, (short) 1).configs(topicConfigs)));
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    try {
      admin().createTopics(newTopics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      awaitLeaders(partitionsByTopic, deadline);
      awaitServing(partitionsByTopic, deadline);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create topics " + partitionsByTopic + ": " + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out creating topics " + partitionsByTopic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating topics " + partitionsByTopic, e);
    }
  }

  /** Deletes topics and their logs, e.g. a benchmark run's gigabytes once it is measured. */
  public void deleteTopics(Collection<String> names) {
    checkOpen();
    try {
      admin().deleteTopics(names).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not delete topics " + names + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out deleting topics " + names, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted deleting topics " + names, e);
    }
  }

  /** Topic creation is acknowledged by the controller; wait until the broker's metadata shows every leader too. */
  private void awaitLeaders(Map<String, Integer> partitionsByTopic, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    while (true) {
      try {
        Map<String, TopicDescription> descriptions = admin().describeTopics(partitionsByTopic.keySet())
            .allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        boolean ready = partitionsByTopic.entrySet().stream().allMatch(e -> {
          TopicDescription d = descriptions.get(e.getKey());
          return d != null && d.partitions().size() == e.getValue()
              && d.partitions().stream().map(TopicPartitionInfo::leader).allMatch(Objects::nonNull);
        });
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        // UnknownTopicOrPartition while the metadata propagates: retry
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new TimeoutException("Partitions of " + partitionsByTopic.keySet() + " have no leader yet");
      }
      Thread.sleep(20);
    }
  }

  /**
   * A leader in the metadata is not yet a partition the broker serves: a producer writing at once can get
   * NotLeaderOrFollower and, idempotent, then loop on OutOfOrderSequence. Listing each partition's end offset
   * succeeds only once the leader serves it.
   */
  private void awaitServing(Map<String, Integer> partitionsByTopic, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
    partitionsByTopic.forEach((topic, partitions) -> {
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    });
    while (true) {
      try {
        admin().listOffsets(ends).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        // NotLeaderOrFollower / UnknownTopicOrPartition while the partitions load: retry
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new TimeoutException("Partitions of " + partitionsByTopic.keySet() + " are not served yet");
      }
      Thread.sleep(20);
    }
  }

  /**
   * A shared admin client for this broker (created on first use, closed with the broker). Do not close it yourself.
   */
  public synchronized Admin admin() {
    checkOpen();
    if (admin == null) {
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          AdminClientConfig.CLIENT_ID_CONFIG, "hri-test-admin",
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }
    return admin;
  }

  /** Stops the broker and deletes its data directory. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    closeAdmin();
    try {
      stopQuietly(server);
    } finally {
      releaseExit();
      deleteRecursively(dataDir);
    }
    LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + bootstrapServers + (closed.get() ? ", closed]" : "]");
  }

  private synchronized void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error stopping the Kafka broker", e);
    }
  }

  private static synchronized void trapExit() {
    if (RUNNING.getAndIncrement() == 0) {
      Exit.setExitProcedure((status, message) -> {
        throw new IllegalStateException("In-process Kafka broker called Exit.exit(" + status + "): " + message);
      });
      Exit.setHaltProcedure((status, message) -> {
        throw new IllegalStateException("In-process Kafka broker called Exit.halt(" + status + "): " + message);
      });
    }
  }

  private static synchronized void releaseExit() {
    if (RUNNING.decrementAndGet() == 0) {
      Exit.resetExitProcedure();
      Exit.resetHaltProcedure();
    }
  }

  /** Probes {@code count} distinct free ports on 127.0.0.1 (held open together so they differ). */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("Could not delete Kafka data directory {}: {}", dir, e.toString());
    }
  }
}

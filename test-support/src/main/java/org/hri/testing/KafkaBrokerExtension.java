package org.hri.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests one {@link KafkaBroker} shared by all test classes in the JVM.
 *
 * <p>The broker starts on first use (thread-safe, so parallel test classes are fine) and stops when the whole test
 * run ends: the extension puts a stopper into the root {@link ExtensionContext.Store}, which JUnit closes after the
 * last test; a JVM shutdown hook is the fallback for {@link #broker()} used outside JUnit's lifecycle.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomethingTest {
 *   @Test
 *   void works(KafkaBroker broker, KafkaTestClient kafka) { ... }
 * }
 * }</pre>
 *
 * <p>Resolvable parameters (test methods, constructors, lifecycle methods):
 *
 * <ul>
 *   <li>{@link KafkaBroker}: the shared broker. Do not close it.</li>
 *   <li>{@link KafkaTestClient}: a new client for the shared broker, closed by JUnit when the scope it was resolved
 *       for ends (after the test method, or after the class for a constructor / {@code @BeforeAll} parameter).</li>
 * </ul>
 *
 * <p>Code without a parameter (e.g. a static field initialiser or a helper) can call {@link #broker()}.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  private static KafkaBroker shared; // guarded by KafkaBrokerExtension.class
  private static Thread shutdownHook; // guarded by KafkaBrokerExtension.class

  /** The JVM-wide broker, started on the first call. */
  public static synchronized KafkaBroker broker() {
    if (shared == null || shared.isClosed()) {
      shared = KafkaBroker.start();
      if (shutdownHook == null) {
        shutdownHook = new Thread(KafkaBrokerExtension::stopShared, "hri-kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
    }
    return shared;
  }

  /** Stops the shared broker if it runs; a later {@link #broker()} starts a new one. */
  static synchronized void stopShared() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    registerStopAtEndOfRun(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == KafkaBroker.class || type == KafkaTestClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    registerStopAtEndOfRun(extensionContext);
    KafkaBroker broker = broker();
    if (parameterContext.getParameter().getType() == KafkaBroker.class) {
      return broker;
    }
    KafkaTestClient client = new KafkaTestClient(broker);
    // AutoCloseable values in a store are closed when its context ends (JUnit >= 5.13 default).
    extensionContext.getStore(NAMESPACE).put(
        parameterContext.getDeclaringExecutable() + "#" + parameterContext.getIndex(), client);
    return client;
  }

  private static void registerStopAtEndOfRun(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(StopAtEndOfRun.class, k -> new StopAtEndOfRun(), StopAtEndOfRun.class);
  }

  /** Closed by JUnit together with the root context, i.e. after all tests of the run. */
  private static final class StopAtEndOfRun implements AutoCloseable {
    @Override
    public void close() {
      stopShared();
    }
  }
}

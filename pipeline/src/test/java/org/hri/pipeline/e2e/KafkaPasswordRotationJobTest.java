package org.hri.pipeline.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.apache.beam.sdk.PipelineResult;
import org.hri.pipeline.validation.ValidateRecords;
import org.hri.testing.Await;
import org.hri.testing.KafkaBroker;
import org.hri.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka password rotated while the job runs, the way an API key is rotated under a mounted Secret: the
 * broker accepts the new key besides the old one, the file gets the new key, the broker revokes the old one.
 * The broker makes every client authenticate again every {@link #SESSION}, so once a session has passed since
 * the revocation, every connection the job still uses has authenticated with the file's new content.
 */
class KafkaPasswordRotationJobTest {
  private static final Duration SESSION = Duration.ofSeconds(2);
  private static final String TRUST_STORE_PASSWORD = "trust-" + UUID.randomUUID();

  @Test
  void aRotatedPasswordFileIsUsedFromTheNextAuthenticationWithoutARestart(@TempDir Path dir) throws IOException {
    String oldKey = "old-key-" + UUID.randomUUID();
    String newKey = "new-key-" + UUID.randomUUID();
    TestCertificates authority = TestCertificates.newAuthority("hri-test-ca");
    try (KafkaBroker broker =
        KafkaBroker.start(new KafkaBroker.SaslSsl(authority, "token", oldKey, "TLSv1.3", SESSION))) {
      Path trustStore = authority.writeTrustStore(dir.resolve("truststore.jks"), TRUST_STORE_PASSWORD);
      Path apiKey = dir.resolve("api-key");
      replace(apiKey, oldKey);
      try (RunningJob job = RunningJob.start(
          broker, ValidateRecords.using(new JsonBodyValidator()), RunningJob.DIRECT_RUNNER,
          "--brokers=" + broker.secureBootstrapServers(), "--password=file:" + apiKey,
          "--kafkaProperties=auto.offset.reset=earliest,ssl.truststore.location=" + trustStore
              + ",ssl.truststore.password=" + TRUST_STORE_PASSWORD,
          "--standalone", "--batchCompletionDelay=1000")) {
        KafkaTlsJobTest.assertABatchCompletes(job, "before-rotation");

        broker.acceptPlainPasswords(oldKey, newKey);
        replace(apiKey, newKey);
        broker.acceptPlainPasswords(newKey);
        KafkaBroker.Authentications revoked = broker.authentications();
        long revokedAt = System.nanoTime();
        Await.until("every session begun with the old key has ended and clients authenticated again",
            RunningJob.DEADLINE,
            () -> {
              KafkaBroker.Authentications now = broker.authentications();
              return now.reauthenticationsFailed() > 0
                  || (System.nanoTime() - revokedAt > SESSION.toNanos()
                      && now.reauthenticated() > revoked.reauthenticated());
            });

        KafkaTlsJobTest.assertABatchCompletes(job, "after-rotation");
        KafkaBroker.Authentications after = broker.authentications();
        assertThat(after.failed(), is(0L));
        assertThat(after.reauthenticationsFailed(), is(0L));
        assertThat(after.reauthenticated(), greaterThan(revoked.reauthenticated()));
        assertThat(job.result().getState(), is(PipelineResult.State.RUNNING));
      }
    }
  }

  /** Replaces the file's content at once, as the kubelet swaps a Secret volume's files. */
  private static void replace(Path file, String content) throws IOException {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content + "\n");
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

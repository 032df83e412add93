package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.hri.pipeline.model.BatchStatus;
import org.hri.testing.FakeManagementApi;
import org.hri.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to the Management API and its OAuth service, against a real TLS server with a CA made for the test. */
class ManagementApiTlsTest {
  private static TestCertificates certificates;

  @TempDir Path dir;

  @BeforeAll
  static void makeCa() {
    certificates = TestCertificates.newAuthority("HRI test CA");
  }

  private static ManagementApiConfig config(FakeManagementApi api, String clientSecret) {
    return ManagementApiConfig.builder()
        .baseUrl(api.baseUrl())
        .oauthUrl(api.oauthUrl())
        .clientId("job")
        .clientSecret(clientSecret)
        .audience("hri")
        .tenantId("t1")
        .build();
  }

  private Map<String, String> trusting() {
    Path trustStore = certificates.writeTrustStore(dir.resolve("trust.jks"), "changeit");
    return Map.of(ManagementApiHttp.TRUSTSTORE_ENV, trustStore.toString(),
        ManagementApiHttp.TRUSTSTORE_PASSWORD_ENV, "changeit");
  }

  @Test
  void httpsWorksWithTheTrustStoreNamedByHriTruststore() throws IOException {
    try (FakeManagementApi api = FakeManagementApi.startHttps(certificates.serverContext(List.of("127.0.0.1")));
        ManagementApiClient client = ManagementApiClient.create(config(api, "s1"), trusting())) {
      api.putBatch("b1", "{\"id\":\"b1\",\"status\":\"started\",\"topic\":\"ingest.t1.di.in\"}");
      assertThat(api.baseUrl().startsWith("https://"), is(true));
      assertThat(client.getBatch("b1").status(), is(BatchStatus.STARTED));
    }
  }

  @Test
  void withoutTheTrustStoreTheFailureSaysWhatToSet() throws IOException {
    try (FakeManagementApi api = FakeManagementApi.startHttps(certificates.serverContext(List.of("127.0.0.1")));
        ManagementApiClient client = ManagementApiClient.create(config(api, "s2"), Map.of())) {
      SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> client.getBatch("b1"));
      assertThat(e.getMessage(), is("TLS with 127.0.0.1 failed: its certificate is not trusted; set HRI_TRUSTSTORE"
          + " to a JKS trust store holding its CA"));
      assertThat(api.requests().isEmpty(), is(true));
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefused() throws IOException {
    try (FakeManagementApi api =
            FakeManagementApi.startHttps(certificates.serverContext(List.of("mgmt.example.org")));
        ManagementApiClient client = ManagementApiClient.create(config(api, "s3"), trusting())) {
      IOException e = assertThrows(IOException.class, () -> client.getBatch("b1"));
      assertThat(e.getMessage(), is("TLS with 127.0.0.1 failed: its certificate is not issued for 127.0.0.1"));
      assertThat(api.requests().isEmpty(), is(true));
    }
  }

  @Test
  void aClientSecretFileIsReadAgainForEachTokenSoRotationNeedsNoRestart() throws IOException {
    Path secret = Files.writeString(dir.resolve("client-secret"), "first\n");
    try (FakeManagementApi api = FakeManagementApi.startHttps(certificates.serverContext(List.of("127.0.0.1")));
        ManagementApiClient client = ManagementApiClient.create(config(api, "file:" + secret), trusting())) {
      api.putBatch("b1", "{\"id\":\"b1\",\"status\":\"started\"}");
      client.getBatch("b1");
      Files.writeString(secret, "second\n");
      api.respondWith("GET", "/batches/b1", 401, 1); // the rotated-out secret's token is revoked
      client.getBatch("b1");

      assertThat(api.requests("POST", "/token").stream().map(r -> r.header("Authorization")).toList(),
          is(List.of(basic("job", "first"), basic("job", "second"))));
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}

package org.hri.local.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.hri.testing.KafkaBroker;
import org.hri.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line of {@link LocalManagementApiMain}. */
@ExtendWith(KafkaBrokerExtension.class)
class LocalManagementApiMainTest {

  /** Runs {@code launch} and captures both streams. */
  record Run(LocalManagementApiMain.Launch launch, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LocalManagementApiMain.Launch launch = LocalManagementApiMain.launch(args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(launch, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaults() throws Exception {
    LocalManagementApi.Config c = LocalManagementApiMain.parse(new String[0]);
    assertThat(c.port(), is(1323));
    assertThat(c.bootstrapServers(), is("127.0.0.1:9092"));
    assertThat(c.validation(), is(true));
    assertThat(c.auth(), is(false));
    assertThat(c.clients().isEmpty(), is(true));
    assertThat(c.tokenLifetime(), is(Duration.ofHours(1)));
    assertThat(c.audience(), nullValue());
  }

  @Test
  void everyFlag() throws Exception {
    LocalManagementApi.Config c = LocalManagementApiMain.parse(new String[] {
        "--port=8081", "--brokers", "k1:9092,k2:9092", "--validation=false", "--auth=true",
        "--client=di1:s3cret:tenant_t1 hri_data_integrator:integrator-1", "--client", "job:pw:tenant_t1,hri_internal",
        "--audience=aud", "--tokenLifetime=60", "--kafkaTimeout=5"});
    assertThat(c.port(), is(8081));
    assertThat(c.bootstrapServers(), is("k1:9092,k2:9092"));
    assertThat(c.validation(), is(false));
    assertThat(c.auth(), is(true));
    assertThat(c.clients(), contains(
        new OAuthClient("di1", "s3cret", Set.of("tenant_t1", "hri_data_integrator"), "integrator-1"),
        new OAuthClient("job", "pw", Set.of("tenant_t1", "hri_internal"), "job")));
    assertThat(c.audience(), is("aud"));
    assertThat(c.tokenLifetime(), is(Duration.ofSeconds(60)));
    assertThat(c.kafkaTimeout(), is(Duration.ofSeconds(5)));
    assertThat(LocalManagementApiMain.parse(new String[] {"--auth", "--client=a:b:c"}).auth(), is(true));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "--bogus=1|Unknown option: '--bogus=1'",
      "--port=abc|Invalid value for option '--port': 'abc' is not an int",
      "--port=70000|--port must be between 0 and 65535, got 70000",
      "--validation=maybe|Invalid value for option '--validation': 'maybe' is not a boolean",
      "--auth=true|--auth=true needs at least one --client=id:secret:scopes[:sub]",
      "--client=only-an-id|bad --client: a client is id:secret:scope1 scope2[:sub]",
      "stray|Unmatched argument at index 0: 'stray'",
      "--brokers|Missing required parameter for option '--brokers'",
  })
  void aBadOptionPrintsTheProblemAndTheUsageAndExits2(String arg, String line) {
    Run r = run(arg);
    assertThat(r.launch().exitCode(), is(2));
    assertThat(r.launch().api(), nullValue());
    assertThat(r.err(), startsWith(line));
    assertThat(r.err(), containsString(System.lineSeparator() + "Usage: LocalManagementApiMain "));
    assertThat(r.out(), is(""));
  }

  @Test
  void helpPrintsTheUsage() {
    Run r = run("--help");
    assertThat(r.launch().exitCode(), is(0));
    assertThat(r.out(), startsWith("Usage: LocalManagementApiMain "));
    assertThat(r.err(), is(""));
  }

  @Test
  void startsAndPrintsTheListeningLine(KafkaBroker broker) {
    Run r = run("--port=0", "--brokers=" + broker.bootstrapServers(), "--validation=false");
    try (LocalManagementApi api = r.launch().api()) {
      assertThat(r.launch().exitCode(), is(0));
      assertThat(r.out(), is("local-mgmt-api: listening on http://127.0.0.1:" + api.port() + "/hri"
          + System.lineSeparator()));
      assertThat(r.err(), is(""));
      assertThat(api.config().validation(), is(false));
      assertThat(new Http(api).get("/alive").body(), is("yes"));
    }
  }

  @Test
  void aFailedStartExits1() {
    Run r = run("--port=0", "--brokers=127.0.0.1:1", "--kafkaTimeout=1");
    assertThat(r.launch().exitCode(), is(1));
    assertThat(r.err(), startsWith("local-mgmt-api: cannot start: Kafka at 127.0.0.1:1 is not reachable"));
    assertThat(r.err().lines().count(), is(1L));
  }
}

package org.hri.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.hri.pipeline.HriPipelineOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The job's command line: what it accepts, and the one-line error for each kind of bad option. */
class DirectJobTest {
  private static final String[] STANDALONE = {"--brokers=127.0.0.1:9092", "--input=ingest.t1.di.in", "--standalone"};
  private static final String[] MGMT = {
    "--brokers=127.0.0.1:9092", "--input=ingest.t1.di.claims.in", "--mgmtUrl=https://mgmt.example/hri",
    "--clientId=id", "--clientSecret=secret", "--audience=aud", "--oauthUrl=https://auth.example/oauth/v4/t"
  };

  @Test
  void buildsTheStandaloneJobWithTheDefaultValidator() {
    Pipeline pipeline = DirectJob.build(with(STANDALONE, "--kafkaProperties=auto.offset.reset=earliest,fetch.min.bytes=1"));
    HriPipelineOptions options = pipeline.getOptions().as(HriPipelineOptions.class);
    assertThat(options.getValidator(), is("passthrough"));
    assertThat(options.getKafkaProperties(), is(List.of("auto.offset.reset=earliest", "fetch.min.bytes=1")));
    assertThat(options.getBatchCompletionDelay(), is(300_000L));
  }

  @Test
  void buildsTheManagementApiJobWithANamedValidator() {
    Pipeline pipeline = DirectJob.build(with(MGMT, "--validator=json"));
    assertThat(pipeline.getOptions().as(HriPipelineOptions.class).getValidator(), is("json"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--brokers=                 | Missing required option: --brokers",
        "--input=                   | Missing required option: --input",
        "--input=porcupine-bonobo   | --input: The Input Topic Name porcupine-bonobo is invalid. It must start with \"ingest.\"",
        "--input=ingest.tenant.in   | --input: The Input Topic Name ingest.tenant.in is invalid. It must have 4 elements",
        "--mgmtUrl=https://m/hri    | --standalone cannot be combined with the Management API options, but --mgmtUrl was given",
        "--validator=fhir-r9        | --validator: no validator named 'fhir-r9' (available: fhir, json, json-schema, passthrough)",
        "--batchCompletionDelay=-1  | --batchCompletionDelay: must be a number of milliseconds >= 0 but was -1",
        "--kafkaProperties=oops     | --kafkaProperties: entry 1 is not key=value",
        "--batchStateTtl=300000     | --batchStateTtl: must be longer than --batchCompletionDelay (300000 ms) but was 300000",
        "--deadLetterTopic=ingest.t1.di.invalid | --deadLetterTopic: must not be one of the stream's own topics: ingest.t1.di.invalid",
        "'--deadLetterTopic= '      | --deadLetterTopic: must not be blank",
      })
  void aBadStandaloneOptionIsOneLineNamingIt(String option, String message) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DirectJob.build(with(STANDALONE, option)));
    assertThat(error.getMessage(), startsWith(message));
  }

  @Test
  void neitherStandaloneNorTheManagementApiIsAnError() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DirectJob.build("--brokers=b:9092", "--input=ingest.t.d.in"));
    assertThat(error.getMessage(), is("Missing required option: either --standalone or --mgmtUrl, --clientId,"
        + " --clientSecret, --audience and --oauthUrl"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--mgmtUrl=http://mgmt.example/hri | --mgmtUrl: http:// is allowed only for a loopback host; use https:// for mgmt.example",
        "--oauthUrl=http://10.0.0.7/oauth  | --oauthUrl: http:// is allowed only for a loopback host; use https:// for 10.0.0.7",
        "--clientSecret=env:HRI_TEST_UNSET_VARIABLE | --clientSecret: the environment variable HRI_TEST_UNSET_VARIABLE is not set",
        "--clientSecret=file:/nonexistent/secret | --clientSecret: cannot read the file /nonexistent/secret (NoSuchFileException)",
      })
  void cleartextToANetworkHostAndUnreadableSecretsAreRefused(String option, String message) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> DirectJob.build(with(MGMT, option)));
    assertThat(error.getMessage(), is(message));
  }

  @Test
  void cleartextToLoopbackIsAllowed() {
    DirectJob.build(with(with(MGMT, "--mgmtUrl=http://127.0.0.1:8080/hri"), "--oauthUrl=http://localhost:8080/oauth"));
  }

  @Test
  void aStateTtlShorterThanTheManagementApiRetryLimitIsRefused() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class,
            () -> DirectJob.build(with(with(MGMT, "--batchStateTtl=3600000"), "--mgmtRetryTimeout=7200000")));
    assertThat(error.getMessage(),
        is("--batchStateTtl: must be longer than --mgmtRetryTimeout (7200000 ms) but was 3600000"));
  }

  @Test
  void anIncompleteManagementApiGroupNamesTheMissingOption() {
    List<String> args = new ArrayList<>(Arrays.asList(MGMT));
    args.removeIf(a -> a.startsWith("--audience="));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DirectJob.build(args.toArray(String[]::new)));
    assertThat(error.getMessage(), is("Missing required option: --audience"));
  }

  @Test
  void aMalformedManagementUrlIsRejected() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DirectJob.build(with(MGMT, "--mgmtUrl=mgmt-api/hri")));
    assertThat(error.getMessage(), is("--mgmtUrl: not an http(s) URL: mgmt-api/hri"));
  }

  @Test
  void anUnknownOptionIsRejectedByName() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DirectJob.build(with(STANDALONE, "--batch-delay=5")));
    assertThat(error.getMessage(), startsWith("Class interface org.hri.pipeline.HriPipelineOptions missing a property named 'batch-delay'"));
  }

  private static String[] with(String[] base, String extra) {
    List<String> args = new ArrayList<>(Arrays.asList(base));
    String name = extra.substring(0, extra.indexOf('=') + 1);
    args.removeIf(a -> a.startsWith(name));
    args.add(extra);
    return args.toArray(String[]::new);
  }
}

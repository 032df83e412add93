package org.hri.pipeline.mgmt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManagementApiExceptionTest {

  private static ManagementApiException answer(int status, String body) {
    return ManagementApiException.fromResponse(status, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void messageIsTheErrorDetailDescription() {
    ManagementApiException e =
        answer(400, "{\"errorEventId\":\"abc-123\",\"errorDescription\":\"Invalid request\"}");
    assertThat(e.getMessage(), is("Invalid request"));
    assertThat(e.statusCode(), is(400));
  }

  @Test
  void anyOtherBodyGivesOnlyTheStatus() {
    // Never echo a body that is not an ErrorDetail: it could contain anything.
    assertThat(answer(500, "<html>patient John Doe</html>").getMessage(), is("HTTP 500"));
    String oauthError = "{\"error\":\"invalid_client\",\"error_description\":\"bad\"}";
    assertThat(answer(401, oauthError).getMessage(), is("HTTP 401"));
    assertThat(answer(502, "{\"errorDescription\":\"no event id\"}").getMessage(), is("HTTP 502"));
    assertThat(answer(503, "{\"errorEventId\":\"1\",\"errorDescription\":42}").getMessage(), is("HTTP 503"));
    assertThat(answer(503, "").getMessage(), is("HTTP 503"));
    assertThat(answer(503, null).getMessage(), is("HTTP 503"));
    assertThat(answer(503, "[1,2]").getMessage(), is("HTTP 503"));
  }

  @Test
  void classifiesStatuses() {
    ManagementApiException notFound = new ManagementApiException(404, "x");
    assertThat(notFound.isNotFound(), is(true));
    assertThat(notFound.concernsBatch(), is(true));
    assertThat(notFound.isRetryable(), is(false));

    for (int status : new int[] {400, 409, 410, 414, 422, 499}) {
      ManagementApiException e = new ManagementApiException(status, "x");
      assertThat(status + " concerns the batch", e.concernsBatch(), is(true));
      assertThat(e.isRetryable(), is(false));
      assertThat(e.isNotFound(), is(false));
    }
    for (int status : new int[] {401, 403, 408, 429, 500, 502, 503, 504, 302, 100}) {
      ManagementApiException e = new ManagementApiException(status, "x");
      assertThat(status + " concerns the stream", e.concernsBatch(), is(false));
      assertThat(e.isRetryable(), is(true));
    }
    // The token endpoint's answers never concern a batch, a 400 (invalid_client) included.
    assertThat(ManagementApiException.tokenRequest(400, "x", null).isRetryable(), is(true));
  }
}

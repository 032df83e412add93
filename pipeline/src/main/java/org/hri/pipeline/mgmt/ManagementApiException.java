package org.hri.pipeline.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.hri.pipeline.model.Json;

/**
 * A non-2xx answer of the Management API or of its token endpoint. The message is the answer's ErrorDetail
 * {@code errorDescription} when there is one, else {@code "HTTP <code>"}; nothing else from the body is
 * kept, since bodies may echo health data.
 *
 * <p>An answer either concerns the one batch the call was about ({@link #concernsBatch}: the call can never
 * succeed, so that batch alone is given up) or the whole stream ({@link #isRetryable}: credentials, rate
 * limits, outages — every call would fail alike, so all of them wait and retry).
 */
public final class ManagementApiException extends IOException {
  private static final long serialVersionUID = 1L;

  /** 4xx answers that say nothing about the batch: authentication, authorization, timeout, rate limit. */
  private static final Set<Integer> STREAM_WIDE_CLIENT_ERRORS = Set.of(401, 403, 408, 429);

  private final int statusCode;
  private final boolean tokenRequest;
  private final Duration retryAfter;

  public ManagementApiException(int statusCode, String message) {
    this(statusCode, message, false, null);
  }

  private ManagementApiException(int statusCode, String message, boolean tokenRequest, Duration retryAfter) {
    super(message);
    this.statusCode = statusCode;
    this.tokenRequest = tokenRequest;
    this.retryAfter = retryAfter;
  }

  /** An answer of the token endpoint: never about a batch, whatever its status. */
  static ManagementApiException tokenRequest(int statusCode, String message, Duration retryAfter) {
    return new ManagementApiException(statusCode, message, true, retryAfter);
  }

  /** An answer of the Management API, with the wait its {@code Retry-After} header asked for, if any. */
  static ManagementApiException answer(int statusCode, String message, Duration retryAfter) {
    return new ManagementApiException(statusCode, message, false, retryAfter);
  }

  /** Builds the exception for a response, keeping only the ErrorDetail's description from the body. */
  static ManagementApiException fromResponse(int statusCode, byte[] body) {
    return new ManagementApiException(statusCode, describe(statusCode, body));
  }

  /** The ErrorDetail's {@code errorDescription} in {@code body}, or {@code "HTTP <code>"}. */
  static String describe(int statusCode, byte[] body) {
    if (body != null && body.length > 0) {
      try {
        JsonNode node = Json.mapper().readTree(new String(body, StandardCharsets.UTF_8));
        JsonNode description = node == null ? null : node.get("errorDescription");
        if (node != null && node.isObject() && node.has("errorEventId")
            && description != null && description.isTextual() && !description.asText().isEmpty()) {
          return description.asText();
        }
      } catch (IOException | RuntimeException e) {
        // Not an ErrorDetail (HTML from a proxy, an OAuth error, ...): fall through to the status code.
      }
    }
    return "HTTP " + statusCode;
  }

  public int statusCode() {
    return statusCode;
  }

  /** 404: the batch (or tenant) does not exist. */
  public boolean isNotFound() {
    return statusCode == 404;
  }

  /** 4xx: the request itself is wrong. */
  public boolean isClientError() {
    return statusCode >= 400 && statusCode < 500;
  }

  /**
   * A 4xx of the Management API other than 401, 403, 408 and 429: this batch's call is wrong (its id, its
   * counts, its state) and repeating it will not help; other batches are not concerned.
   */
  public boolean concernsBatch() {
    return !tokenRequest && isClientError() && !STREAM_WIDE_CLIENT_ERRORS.contains(statusCode);
  }

  /** Anything that does not {@link #concernsBatch concern one batch}: worth retrying with backoff. */
  public boolean isRetryable() {
    return !concernsBatch();
  }

  /** The wait the answer's {@code Retry-After} header asked for. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}

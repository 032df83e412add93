package org.hri.pipeline.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hri.pipeline.model.Json;

/**
 * A non-2xx answer of the Management API or of its token endpoint. The message is the answer's ErrorDetail
 * {@code errorDescription} when there is one, else {@code "HTTP <code>"}; nothing else from the body is
 * kept, since bodies may echo health data.
 */
public final class ManagementApiException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;

  public ManagementApiException(int statusCode, String message) {
    super(message);
    this.statusCode = statusCode;
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

  /** 4xx: the request itself is wrong; repeating it will not help. */
  public boolean isClientError() {
    return statusCode >= 400 && statusCode < 500;
  }

  /** Anything that is not a 4xx (5xx, odd 1xx/3xx answers): worth retrying with backoff. */
  public boolean isRetryable() {
    return !isClientError();
  }
}

package org.hri.local.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.hri.pipeline.mgmt.ManagementApiConfig;
import org.hri.pipeline.mgmt.ManagementApiException;
import org.hri.pipeline.mgmt.ManagementApiHttp;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.Json;

/**
 * The Management API endpoints a Data Integrator uses: create a batch, sendComplete, terminate, and get a
 * batch. Calls go through the job's own {@link ManagementApiHttp}: with OAuth settings each carries a
 * client-credentials token with the scopes {@code hri_data_integrator tenant_<t>}, cached until shortly before
 * it expires and fetched again once when the API answers 401 or 403; {@code HRI_TRUSTSTORE} is trusted as by
 * the job. Any 2xx answer is success; any other is a {@link ManagementApiException} whose message starts with
 * the call's name. No call is retried here, but for the one repeat with a new token: creating a batch twice
 * would make two batches.
 *
 * <p>A call is not cut short by an interrupt: the JDK's blocking HTTP connection ignores it, the thread's flag
 * stays set and the call completes, bounded by the request timeout per connect and per read. Otherwise an
 * interrupted create could make a batch whose id nobody learns, which then could not be terminated.
 * Thread-safe.
 */
public final class BatchApiClient {
  /** What a Data Integrator may do: create, complete and terminate batches. */
  static final String INTEGRATOR_SCOPES = "hri_data_integrator";

  /** OAuth2 client-credentials settings; the token endpoint is {@code <oauthUrl>/token}. */
  public record OAuth(String oauthUrl, String clientId, String clientSecret, String audience) {
    public OAuth {
      Objects.requireNonNull(oauthUrl, "oauthUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(audience, "audience");
    }

    @Override
    public String toString() {
      return "OAuth[" + oauthUrl + ", " + clientId + ", " + audience + "]"; // never the secret
    }
  }

  private final ManagementApiHttp http;

  /**
   * @param mgmtUrl the API's base URL, ending in {@code /hri}
   * @param oauth token settings, or null when the API runs without authorization
   * @throws IOException when {@code HRI_TRUSTSTORE} names a trust store that cannot be read
   */
  public BatchApiClient(String mgmtUrl, String tenantId, OAuth oauth, Duration requestTimeout) throws IOException {
    ManagementApiConfig.Builder config = ManagementApiConfig.builder()
        .baseUrl(mgmtUrl)
        .tenantId(tenantId)
        .scopes(INTEGRATOR_SCOPES)
        .connectTimeout(requestTimeout)
        .readTimeout(requestTimeout);
    if (oauth != null) {
      config.oauthUrl(oauth.oauthUrl()).clientId(oauth.clientId()).clientSecret(oauth.clientSecret())
          .audience(oauth.audience());
    }
    this.http = ManagementApiHttp.create(config.build());
  }

  public String tenantId() {
    return http.config().tenantId();
  }

  /** {@code POST .../batches}; returns the new batch's id. {@code invalidThreshold} -1 is left out (the default). */
  public String createBatch(String name, String topic, String dataType, long invalidThreshold, JsonNode metadata)
      throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("name", name);
    body.put("topic", topic);
    body.put("dataType", dataType);
    if (invalidThreshold != BatchNotification.NO_THRESHOLD) {
      body.put("invalidThreshold", invalidThreshold);
    }
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    JsonNode answer = parse(call("POST", http.batchesUrl(), body, "create batch"), "create batch");
    JsonNode id = answer.get("id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw new ManagementApiException(200, "create batch: the answer has no batch id");
    }
    return id.asText();
  }

  /** {@code PUT .../batches/{id}/action/sendComplete}. */
  public void sendComplete(String batchId, long expectedRecordCount, JsonNode metadata)
      throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("expectedRecordCount", expectedRecordCount);
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    call("PUT", batchUrl(batchId) + "/action/sendComplete", body, "sendComplete");
  }

  /** {@code PUT .../batches/{id}/action/terminate}. */
  public void terminate(String batchId, JsonNode metadata) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    call("PUT", batchUrl(batchId) + "/action/terminate", body, "terminate");
  }

  /** {@code GET .../batches/{id}}. */
  public BatchNotification getBatch(String batchId) throws IOException {
    byte[] answer = call("GET", batchUrl(batchId), null, "get batch");
    try {
      return BatchNotification.fromJson(answer);
    } catch (IOException e) {
      throw new ManagementApiException(200, "get batch: unreadable answer");
    }
  }

  private String batchUrl(String batchId) {
    return http.batchesUrl() + "/" + ManagementApiHttp.pathSegment(batchId);
  }

  /** One call; a failure's message says which call failed and how. */
  private byte[] call(String method, String url, JsonNode body, String what) throws IOException {
    try {
      return http.call(method, url, body);
    } catch (ManagementApiException e) {
      String status = "HTTP " + e.statusCode();
      throw new ManagementApiException(e.statusCode(),
          what + " failed: " + status + (e.getMessage().equals(status) ? "" : ": " + e.getMessage()));
    }
  }

  private static JsonNode parse(byte[] body, String what) throws ManagementApiException {
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new ManagementApiException(200, what + ": the answer is not a JSON object");
    }
    return node;
  }
}

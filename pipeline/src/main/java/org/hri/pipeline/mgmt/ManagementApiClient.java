package org.hri.pipeline.mgmt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.InvalidNotificationException;
import org.hri.pipeline.model.Json;

/**
 * The three Management API endpoints the job needs, called through {@link ManagementApiHttp} (OAuth token,
 * TLS, one repeat on 401/403). Any 2xx answer is success; any other answer is a
 * {@link ManagementApiException}. The client never retries: the retry policy belongs to the callers, who know
 * whether a call may block. Thread-safe.
 */
public final class ManagementApiClient implements AutoCloseable {
  private final ManagementApiHttp http;

  private ManagementApiClient(ManagementApiHttp http) {
    this.http = http;
  }

  /**
   * A client trusting the JKS trust store named by {@code HRI_TRUSTSTORE} (password in {@code
   * HRI_TRUSTSTORE_PASSWORD}), or the JVM's default trust when the variable is unset.
   *
   * @throws IllegalArgumentException when the trust store is set without a password
   * @throws java.io.FileNotFoundException when the trust store file does not exist
   * @throws IOException when the trust store cannot be read, e.g. for a wrong password
   */
  public static ManagementApiClient create(ManagementApiConfig config) throws IOException {
    return create(config, System.getenv());
  }

  /** As {@link #create(ManagementApiConfig)}, reading the trust store variables from {@code env}. */
  static ManagementApiClient create(ManagementApiConfig config, Map<String, String> env) throws IOException {
    return create(config, env, Clock.systemUTC());
  }

  /** As {@link #create(ManagementApiConfig, Map)}, with the clock that decides when tokens expire. */
  static ManagementApiClient create(ManagementApiConfig config, Map<String, String> env, Clock clock)
      throws IOException {
    return new ManagementApiClient(ManagementApiHttp.create(config, env, clock));
  }

  /** {@code GET /tenants/{t}/batches/{b}}: the batch as the API stores it. */
  public BatchNotification getBatch(String batchId) throws IOException {
    byte[] body = http.call("GET", batchUrl(batchId), null);
    try {
      return BatchNotification.fromJson(body);
    } catch (InvalidNotificationException e) {
      throw e; // readable, but not a valid batch: its message names the field
    } catch (IOException e) {
      // Jackson's message quotes the offending input; keep the body out of logs.
      throw new IOException(
          "Unreadable batch from the HRI Management API for batch " + batchId + " (" + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** {@code PUT .../action/processingComplete}: moves a sendCompleted batch to completed. */
  public void processingComplete(String batchId, long actualRecordCount, long invalidRecordCount)
      throws IOException {
    http.call("PUT", batchUrl(batchId) + "/action/processingComplete", counts(actualRecordCount, invalidRecordCount));
  }

  /** {@code PUT .../action/fail}: moves a batch to failed with the given message. */
  public void fail(String batchId, long actualRecordCount, long invalidRecordCount, String failureMessage)
      throws IOException {
    ObjectNode body = counts(actualRecordCount, invalidRecordCount).put("failureMessage", failureMessage);
    http.call("PUT", batchUrl(batchId) + "/action/fail", body);
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  private String batchUrl(String batchId) {
    return http.batchesUrl() + "/" + ManagementApiHttp.pathSegment(batchId);
  }

  private static ObjectNode counts(long actualRecordCount, long invalidRecordCount) {
    return Json.mapper()
        .createObjectNode()
        .put("actualRecordCount", actualRecordCount)
        .put("invalidRecordCount", invalidRecordCount);
  }
}

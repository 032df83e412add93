package org.hri.local.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;
import org.hri.pipeline.topics.TopicNames;
import org.hri.pipeline.topics.TopicNamingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch endpoints of spec §4.3–§4.5: checks in the Management API's order (tenant id, body and the
 * topic's tenant → 400, token and tenant scope → 401, role → 401, unknown batch → 404, owner → 401, state →
 * 409), then the change, which is written to the batch's notification topic before it is stored (a failed
 * write leaves the batch as it was and answers 500).
 */
final class BatchService {
  private static final Logger LOG = LoggerFactory.getLogger(BatchService.class);
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9_-]+");
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_RESULT_WINDOW = 10_000;
  private static final int DEFAULT_SIZE = 10;
  private static final String QUERY_FORBIDDEN = "\"[]{}";

  static final String MSG_NOT_FOUND = "The document for tenantId: %s with document (batch) ID: %s was not found";
  static final String MSG_STATUS_NOT_FOUND = "error getting current Batch Status: " + MSG_NOT_FOUND;
  static final String MSG_MISSING_SCOPES =
      "The access token must have one of these scopes: hri_consumer, hri_data_integrator";
  static final String MSG_NOT_OWNER_GET = "The token's sub claim (clientId): %s does not match the data integratorId: %s";
  static final String MSG_INTEGRATOR_ROLE = "Must have hri_data_integrator role to %s a batch";
  static final String MSG_INTERNAL_ROLE = "Must have hri_internal role to mark a batch as %s";
  static final String MSG_SUB_REQUIRED = "JWT access token 'sub' claim must be populated.";
  static final String MSG_FOREIGN_TOPIC = "Invalid parameter value(s): topic must be an input topic of tenant "
      + "%1$s: ingest.%1$s.<integrator>[.qualifier].in";

  /** Finds out who calls; invoked after the request itself was checked. */
  @FunctionalInterface
  interface Authenticator {
    Caller authenticate() throws ApiException;
  }

  private final BatchStore store;
  private final NotificationLog log;
  private final boolean validation;
  private final Clock clock;

  BatchService(BatchStore store, NotificationLog log, boolean validation, Clock clock) {
    this.store = store;
    this.log = log;
    this.validation = validation;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Create, list, get

  /** {@code POST /tenants/{t}/batches}: 201 {@code {"id": ...}} after the {@code started} notification. */
  Reply create(String tenant, byte[] rawBody, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    RequestBody body = RequestBody.parse(rawBody);
    String name = body.requiredString("name");
    String topic = body.requiredString("topic");
    String dataType = body.requiredString("dataType");
    Long threshold = body.optionalInteger("invalidThreshold", BatchNotification.NO_THRESHOLD);
    JsonNode metadata = body.optionalObject("metadata");
    body.injectionCheck("name", name);
    body.injectionCheck("topic", topic);
    body.injectionCheck("dataType", dataType);
    body.check();
    if (!isInputTopicOf(tenant, topic)) {
      throw ApiException.badRequest(String.format(MSG_FOREIGN_TOPIC, tenant));
    }
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.INTEGRATOR)) {
      throw ApiException.unauthorized(String.format(MSG_INTEGRATOR_ROLE, "create"));
    }
    if (caller.sub() == null || caller.sub().isEmpty()) {
      throw ApiException.unauthorized(MSG_SUB_REQUIRED);
    }
    String id = newBatchId();
    BatchNotification batch = new BatchNotification(id, name, caller.sub(), topic, dataType, BatchStatus.STARTED,
        now(), null, null, null, null, threshold == null || threshold == 0 ? BatchNotification.NO_THRESHOLD : threshold,
        null, metadata, null);
    write(batch);
    store.put(tenant, batch);
    LOG.info("Batch {} of tenant {} created: started", id, tenant);
    ObjectNode answer = JsonNodeFactory.instance.objectNode().put("id", id);
    return Reply.json(201, answer);
  }

  /** {@code GET /tenants/{t}/batches}: filters, paging, {@code {"total": n, "results": [...]}}. */
  Reply list(String tenant, Map<String, String> query, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    for (String key : List.of("name", "status", "gteDate", "lteDate", "size", "from")) {
      String value = query.get(key);
      if (value != null && value.chars().anyMatch(c -> QUERY_FORBIDDEN.indexOf(c) >= 0)) {
        throw ApiException.badRequest("query parameters may not contain these characters: " + QUERY_FORBIDDEN);
      }
    }
    int size = intParam(query, "size", DEFAULT_SIZE);
    int from = intParam(query, "from", 0);
    if ((long) from + size > MAX_RESULT_WINDOW) {
      throw ApiException.badRequest("Result window is too large, from + size must be less than or equal to: ["
          + MAX_RESULT_WINDOW + "] but was [" + ((long) from + size) + "].");
    }
    String name = query.get("name");
    String status = query.get("status");
    OffsetDateTime gte = query.containsKey("gteDate") ? dateParam("gteDate", query.get("gteDate"), false) : null;
    OffsetDateTime lte = query.containsKey("lteDate") ? dateParam("lteDate", query.get("lteDate"), true) : null;
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.CONSUMER) && !caller.has(Caller.INTEGRATOR)) {
      throw ApiException.unauthorized(MSG_MISSING_SCOPES);
    }
    List<BatchNotification> matching = store.list(tenant).stream()
        .filter(b -> name == null || name.equals(b.name()))
        .filter(b -> status == null || (b.status() != null && status.equals(b.status().json())))
        .filter(b -> gte == null || (b.startDate() != null && !b.startDate().isBefore(gte)))
        .filter(b -> lte == null || (b.startDate() != null && !b.startDate().isAfter(lte)))
        .filter(b -> !caller.ownBatchesOnly() || caller.sub().equals(b.integratorId()))
        .toList();
    ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("total", matching.size());
    ArrayNode results = answer.putArray("results");
    matching.stream().skip(from).limit(size).forEach(b -> results.add(toJson(b)));
    return Reply.json(200, answer);
  }

  /** {@code GET /tenants/{t}/batches/{b}}: the batch document. */
  Reply get(String tenant, String batchId, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.CONSUMER) && !caller.has(Caller.INTEGRATOR)) {
      throw ApiException.unauthorized(MSG_MISSING_SCOPES);
    }
    BatchStore.Entry entry = store.get(tenant, batchId);
    if (entry == null) {
      throw ApiException.notFound(String.format(MSG_NOT_FOUND, tenant, batchId));
    }
    BatchNotification batch = entry.batch();
    if (caller.ownBatchesOnly() && !caller.sub().equals(batch.integratorId())) {
      throw ApiException.unauthorized(String.format(MSG_NOT_OWNER_GET, caller.sub(), batch.integratorId()));
    }
    return Reply.json(200, toJson(batch));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Status changes

  /** {@code PUT .../action/sendComplete}: started → sendCompleted (validation on) or completed (off). */
  Reply sendComplete(String tenant, String batchId, byte[] rawBody, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    RequestBody body = RequestBody.parse(rawBody);
    Long count;
    if (body.has("expectedRecordCount")) {
      count = body.optionalInteger("expectedRecordCount", 0);
    } else if (body.has("recordCount")) {
      count = body.optionalInteger("recordCount", 0);
    } else {
      body.missing("expectedRecordCount");
      count = null;
    }
    JsonNode metadata = body.optionalObject("metadata");
    body.check();
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.INTEGRATOR)) {
      throw ApiException.unauthorized(String.format(MSG_INTEGRATOR_ROLE, "initiate sendComplete on"));
    }
    BatchStore.Entry entry = entryForUpdate(tenant, batchId);
    synchronized (entry) {
      BatchNotification b = entry.batch();
      checkOwner("sendComplete", caller, b);
      if (b.status() != BatchStatus.STARTED) {
        throw ApiException.conflict("sendComplete failed, batch is in '" + b.status().json() + "' state");
      }
      BatchStatus next = validation ? BatchStatus.SEND_COMPLETED : BatchStatus.COMPLETED;
      BatchNotification updated = new BatchNotification(b.id(), b.name(), b.integratorId(), b.topic(),
          b.dataType(), next, b.startDate(), validation ? b.endDate() : now(), count, count,
          b.actualRecordCount(), b.invalidThreshold(), b.invalidRecordCount(),
          metadata != null ? metadata : b.metadata(), b.failureMessage());
      commit(tenant, entry, b, updated);
    }
    return Reply.empty(200);
  }

  /** {@code PUT .../action/terminate}: started → terminated. */
  Reply terminate(String tenant, String batchId, byte[] rawBody, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    RequestBody body = RequestBody.parse(rawBody);
    JsonNode metadata = body.optionalObject("metadata");
    body.check();
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.INTEGRATOR)) {
      throw ApiException.unauthorized(String.format(MSG_INTEGRATOR_ROLE, "terminate"));
    }
    BatchStore.Entry entry = entryForUpdate(tenant, batchId);
    synchronized (entry) {
      BatchNotification b = entry.batch();
      checkOwner("terminate", caller, b);
      if (b.status() != BatchStatus.STARTED) {
        throw ApiException.conflict("terminate failed, batch is in '" + b.status().json() + "' state");
      }
      BatchNotification updated = new BatchNotification(b.id(), b.name(), b.integratorId(), b.topic(),
          b.dataType(), BatchStatus.TERMINATED, b.startDate(), now(), b.recordCount(), b.expectedRecordCount(),
          b.actualRecordCount(), b.invalidThreshold(), b.invalidRecordCount(),
          metadata != null ? metadata : b.metadata(), b.failureMessage());
      commit(tenant, entry, b, updated);
    }
    return Reply.empty(200);
  }

  /** {@code PUT .../action/processingComplete}: sendCompleted → completed with the counts. */
  Reply processingComplete(String tenant, String batchId, byte[] rawBody, Authenticator auth)
      throws ApiException {
    checkTenant(tenant);
    RequestBody body = RequestBody.parse(rawBody);
    Long actual = body.requiredInteger("actualRecordCount", 0);
    Long invalid = body.requiredInteger("invalidRecordCount", 0);
    body.check();
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.INTERNAL)) {
      throw ApiException.unauthorized(String.format(MSG_INTERNAL_ROLE, "processingComplete"));
    }
    BatchStore.Entry entry = entryForUpdate(tenant, batchId);
    synchronized (entry) {
      BatchNotification b = entry.batch();
      if (b.status() != BatchStatus.SEND_COMPLETED) {
        throw ApiException.conflict("processingComplete failed, batch is in '" + b.status().json() + "' state");
      }
      commit(tenant, entry, b, b.withVerdict(BatchStatus.COMPLETED, actual, invalid, b.failureMessage(), now()));
    }
    return Reply.empty(200);
  }

  /** {@code PUT .../action/fail}: any status but terminated and failed → failed. */
  Reply fail(String tenant, String batchId, byte[] rawBody, Authenticator auth) throws ApiException {
    checkTenant(tenant);
    RequestBody body = RequestBody.parse(rawBody);
    Long actual = body.requiredInteger("actualRecordCount", 0);
    Long invalid = body.requiredInteger("invalidRecordCount", 0);
    String message = body.requiredNonBlankString("failureMessage");
    body.check();
    Caller caller = auth.authenticate();
    if (caller.checked() && !caller.has(Caller.INTERNAL)) {
      throw ApiException.unauthorized(String.format(MSG_INTERNAL_ROLE, "failed"));
    }
    BatchStore.Entry entry = entryForUpdate(tenant, batchId);
    synchronized (entry) {
      BatchNotification b = entry.batch();
      if (b.status() == BatchStatus.TERMINATED || b.status() == BatchStatus.FAILED) {
        throw ApiException.conflict("'fail' failed, batch is in '" + b.status().json() + "' state");
      }
      commit(tenant, entry, b, b.withVerdict(BatchStatus.FAILED, actual, invalid, message, now()));
    }
    return Reply.empty(200);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  /** Writes the notification of a change and only then stores the new document. */
  private void commit(String tenant, BatchStore.Entry entry, BatchNotification before, BatchNotification after)
      throws ApiException {
    BatchNotification normalized = normalize(after);
    write(normalized);
    entry.set(normalized);
    LOG.info("Batch {} of tenant {}: {} -> {}", after.id(), tenant, before.status(), after.status());
  }

  private void write(BatchNotification batch) throws ApiException {
    String topic = NotificationLog.notificationTopic(batch.topic());
    try {
      log.write(topic, batch.id(), normalize(batch).toJson());
    } catch (NotificationLog.WriteFailure e) {
      LOG.warn("Notification of batch {} ({}) not written to {}: {}", batch.id(), batch.status(), topic,
          e.getMessage());
      throw ApiException.internal(e.getMessage());
    }
  }

  private BatchStore.Entry entryForUpdate(String tenant, String batchId) throws ApiException {
    BatchStore.Entry entry = store.get(tenant, batchId);
    if (entry == null) {
      throw ApiException.notFound(String.format(MSG_STATUS_NOT_FOUND, tenant, batchId));
    }
    return entry;
  }

  /** sendComplete and terminate are for the batch's own integrator only (401 otherwise, spec §4.5). */
  private static void checkOwner(String action, Caller caller, BatchNotification batch) throws ApiException {
    if (!caller.sub().equals(batch.integratorId())) {
      throw ApiException.unauthorized(
          action + " requested by '" + caller.sub() + "' but owned by '" + batch.integratorId() + "'");
    }
  }

  /**
   * {@code recordCount} and {@code expectedRecordCount} kept in step: when only one is set it is copied to the
   * other (spec §2.1).
   */
  static BatchNotification normalize(BatchNotification b) {
    Long recordCount = b.recordCount();
    Long expected = b.expectedRecordCount();
    if ((recordCount == null) == (expected == null)) {
      return b;
    }
    Long count = recordCount != null ? recordCount : expected;
    return new BatchNotification(b.id(), b.name(), b.integratorId(), b.topic(), b.dataType(), b.status(),
        b.startDate(), b.endDate(), count, count, b.actualRecordCount(), b.invalidThreshold(),
        b.invalidRecordCount(), b.metadata(), b.failureMessage());
  }

  static JsonNode toJson(BatchNotification batch) {
    return Json.mapper().valueToTree(normalize(batch));
  }

  /**
   * Whether {@code topic} is an input topic of {@code tenant}: the notifications of a batch go to its topic's
   * {@code .notification} topic, and another tenant's must stay out of reach of this tenant's callers.
   */
  static boolean isInputTopicOf(String tenant, String topic) {
    try {
      return TopicNames.forInput(topic).tenantId().equals(tenant);
    } catch (TopicNamingException e) {
      return false;
    }
  }

  private static void checkTenant(String tenant) throws ApiException {
    if (tenant == null || !TENANT_ID.matcher(tenant).matches()) {
      throw ApiException.badRequest(
          "TenantId: " + tenant + " must be lower-case alpha-numeric, '-', or '_'.");
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String newBatchId() {
    StringBuilder sb = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
    }
    return sb.toString();
  }

  private static int intParam(Map<String, String> query, String name, int defaultValue) throws ApiException {
    String value = query.get(name);
    if (value == null) {
      return defaultValue;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Error parsing '" + name + "' parameter: not an integer");
    }
    if (parsed < 0) {
      throw ApiException.badRequest("[" + name + "] parameter cannot be negative, found [" + parsed + "]");
    }
    return parsed;
  }

  /**
   * An ISO 8601 date-time (with offset, or UTC without), or a date: the start of that day (UTC) for
   * {@code gteDate}, its last instant for {@code lteDate}, as Elasticsearch rounds a date-only range.
   */
  static OffsetDateTime dateParam(String name, String value, boolean upper) throws ApiException {
    String v = value.trim();
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(v).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      LocalDate date = LocalDate.parse(v);
      return (upper ? date.atTime(LocalTime.MAX) : date.atStartOfDay()).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("Error parsing '" + name
          + "' parameter: expected an ISO 8601 date (2021-02-03) or date-time (2021-02-03T04:05:06Z)");
    }
  }
}

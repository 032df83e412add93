package org.hri.pipeline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.hri.pipeline.model.BatchNotification;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.Json;

/** Batch notifications for tests, as the Management API writes them. */
final class Batches {
  static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 22, 1, 0, 0, 0, ZoneOffset.UTC);

  private Batches() {}

  static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static BatchNotification started(String id, String topic, long threshold) {
    return new BatchNotification(
        id, "batch " + id, "integrator-1", topic, "claims", BatchStatus.STARTED, START, null, null, null, null,
        threshold, null, metadata(), null);
  }

  static BatchNotification sendCompleted(BatchNotification started, long expected) {
    return new BatchNotification(
        started.id(), started.name(), started.integratorId(), started.topic(), started.dataType(),
        BatchStatus.SEND_COMPLETED, started.startDate(), null, expected, expected, null,
        started.invalidThreshold(), null, started.metadata(), null);
  }

  static BatchNotification terminated(BatchNotification started) {
    return new BatchNotification(
        started.id(), started.name(), started.integratorId(), started.topic(), started.dataType(),
        BatchStatus.TERMINATED, started.startDate(), START.plusMinutes(5), null, null, null,
        started.invalidThreshold(), null, started.metadata(), null);
  }

  private static JsonNode metadata() {
    return Json.mapper().createObjectNode().put("source", "テスト病院").put("rows", 15);
  }
}

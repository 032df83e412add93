package org.hri.local.mgmt;

import org.hri.testing.KafkaBroker;
import org.junit.jupiter.api.AfterAll;

/**
 * What the API test classes share: one local Management API per class on the test broker, streams ready to use,
 * an HTTP client for it and a reader of its notifications. The test classes run one after the other.
 */
abstract class ApiTestBase {
  static LocalManagementApi api;
  static Http http;
  static StreamPool pool;
  static NotificationReader reader;

  /** Starts the class's API with {@code config} (the broker is set here) and {@code streams} streams. */
  static void start(KafkaBroker broker, int streams, String tenant, LocalManagementApi.Config.Builder config) {
    reader = new NotificationReader(broker);
    pool = StreamPool.create(broker, streams, tenant);
    api = LocalManagementApi.start(config.bootstrapServers(broker.bootstrapServers()).build());
    http = new Http(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (reader != null) {
      reader.close();
    }
  }
}

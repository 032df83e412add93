package org.hri.pipeline.mgmt;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OAuth token of one client (token URL, client, audience, scopes, tenant), one per JVM: every Management API
 * client of the job in this JVM — one per DoFn instance — shares it, so a job fetches one token, not one per
 * worker thread.
 */
final class SharedToken {
  private static final Map<Key, SharedToken> TOKENS = new ConcurrentHashMap<>();

  /** A token and the moment it is to be replaced. */
  record Token(String value, Instant refreshAt) {}

  /** Fetches a new token; called with the cache locked, so one caller fetches and the others wait for it. */
  interface Fetch {
    Token fetch() throws IOException;
  }

  private record Key(
      String tokenUrl, String clientId, String clientSecret, String audience, String scopes, String tenantId) {}

  private Token token; // guarded by this

  private SharedToken() {}

  static SharedToken of(ManagementApiConfig config) {
    Key key =
        new Key(config.tokenUrl(), config.clientId(), config.clientSecret(), config.audience(), config.scopes(),
            config.tenantId());
    return TOKENS.computeIfAbsent(key, k -> new SharedToken());
  }

  synchronized String get(Clock clock, Fetch fetch) throws IOException {
    if (token == null || !clock.instant().isBefore(token.refreshAt())) {
      token = null;
      token = fetch.fetch();
    }
    return token.value();
  }

  /** Drops {@code rejected} if it is still the cached token, so the next call fetches a new one. */
  synchronized void forget(String rejected) {
    if (token != null && token.value().equals(rejected)) {
      token = null;
    }
  }
}

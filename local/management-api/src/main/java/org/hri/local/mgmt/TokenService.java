package org.hri.local.mgmt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hri.pipeline.model.Json;

/**
 * The local OAuth service: issues opaque random access tokens for the client-credentials grant and checks the
 * bearer tokens of batch requests (known, not expired, right audience, tenant scope). Tokens live in memory
 * only, so a restart invalidates them.
 */
final class TokenService {
  static final String TENANT_SCOPE_PREFIX = "tenant_";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_TOKENS = 100_000;

  private final boolean auth;
  private final Map<String, OAuthClient> clients;
  private final Duration lifetime;
  private final String audience;
  private final Clock clock;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  /** An issued token: who holds it, what it grants, until when. */
  record Token(String clientId, String sub, List<String> scopes, String audience, Instant expiresAt) {}

  /** An OAuth error answer (RFC 6749 §5.2): status, {@code error} code and description. */
  static final class OAuthError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;

    OAuthError(int status, String error, String description) {
      super(description, null, false, false);
      this.status = status;
      this.error = error;
    }
  }

  /** A successful token answer. */
  record Issued(String accessToken, long expiresInSeconds, List<String> scopes) {}

  TokenService(LocalManagementApi.Config config) {
    this.auth = config.auth();
    this.clients = new LinkedHashMap<>();
    config.clients().forEach(c -> clients.put(c.clientId(), c));
    this.lifetime = config.tokenLifetime();
    this.audience = config.audience();
    this.clock = config.clock();
  }

  /**
   * Handles a token request: client credentials from HTTP Basic (or the {@code client_id}/{@code client_secret}
   * form fields), {@code grant_type=client_credentials}, optional {@code scope} (space-separated; the granted
   * scopes are the requested ones the client may have, or all of them when none are requested) and optional
   * {@code audience}. With authorization off any client is accepted and gets the scopes it asks for.
   */
  Issued issue(String authorizationHeader, Map<String, String> form) throws OAuthError {
    String[] credentials = basicCredentials(authorizationHeader);
    if (credentials == null && form.containsKey("client_id")) {
      credentials = new String[] {form.get("client_id"), form.getOrDefault("client_secret", "")};
    }
    if (credentials == null || credentials[0].isEmpty()) {
      throw new OAuthError(401, "invalid_client", "Client authentication failed: no client credentials");
    }
    String grantType = form.get("grant_type");
    if (grantType == null || grantType.isEmpty()) {
      throw new OAuthError(400, "invalid_request", "Missing grant_type");
    }
    if (!"client_credentials".equals(grantType)) {
      throw new OAuthError(400, "unsupported_grant_type", "Only the client_credentials grant is supported");
    }
    List<String> requested = splitScopes(form.get("scope"));
    String sub;
    List<String> granted = new ArrayList<>();
    if (auth) {
      OAuthClient client = clients.get(credentials[0]);
      if (client == null || !constantTimeEquals(client.secret(), credentials[1])) {
        throw new OAuthError(401, "invalid_client", "Client authentication failed");
      }
      sub = client.sub();
      if (form.get("scope") == null) {
        granted.addAll(client.scopes());
      } else {
        requested.stream().filter(client.scopes()::contains).forEach(granted::add);
      }
    } else {
      sub = credentials[0];
      granted.addAll(requested);
    }
    String tokenAudience = form.get("audience");
    String value = newToken();
    Instant expiresAt = clock.instant().plus(lifetime);
    purgeExpired();
    tokens.put(value, new Token(credentials[0], sub, List.copyOf(granted), tokenAudience, expiresAt));
    return new Issued(value, Math.max(1, lifetime.toSeconds()), List.copyOf(granted));
  }

  /**
   * The caller of a batch request on {@code tenant}: with authorization on the bearer token must be one this
   * service issued, not expired, for the configured audience (if any), with {@code tenant_<tenant>} in its
   * scopes; every failure is a 401.
   */
  Caller authenticate(String authorizationHeader, String tenant) throws ApiException {
    if (!auth) {
      return Caller.noAuth();
    }
    String raw = bearerToken(authorizationHeader);
    if (raw == null) {
      throw ApiException.unauthorized(
          "Authorization token validation failed: no bearer token in the Authorization header");
    }
    Token token = tokens.get(raw);
    if (token == null) {
      throw ApiException.unauthorized("Authorization token validation failed: unknown token");
    }
    if (!clock.instant().isBefore(token.expiresAt())) {
      throw ApiException.unauthorized("Authorization token validation failed: token is expired (Token Expiry: "
          + Json.format(OffsetDateTime.ofInstant(token.expiresAt(), ZoneOffset.UTC)) + ")");
    }
    if (audience != null && !audience.equals(token.audience())) {
      throw ApiException.unauthorized("Authorization token validation failed: expected audience \"" + audience
          + "\" got [" + (token.audience() == null ? "" : "\"" + token.audience() + "\"") + "]");
    }
    if (!token.scopes().contains(TENANT_SCOPE_PREFIX + tenant)) {
      throw ApiException.unauthorized("Unauthorized tenant access. Tenant '" + tenant
          + "' is not included in the authorized scopes: " + String.join(" ", token.scopes()) + ".");
    }
    return new Caller(token.sub(), new LinkedHashSet<>(token.scopes()), true);
  }

  private void purgeExpired() {
    if (tokens.size() >= MAX_TOKENS / 2) {
      Instant now = clock.instant();
      tokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
      if (tokens.size() >= MAX_TOKENS) {
        tokens.clear(); // a local tool: better to invalidate everything than to grow without bound
      }
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static List<String> splitScopes(String scope) {
    Set<String> scopes = new LinkedHashSet<>();
    if (scope != null) {
      for (String s : scope.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          scopes.add(s);
        }
      }
    }
    return new ArrayList<>(scopes);
  }

  private static String bearerToken(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = h.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  private static String[] basicCredentials(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() <= 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}

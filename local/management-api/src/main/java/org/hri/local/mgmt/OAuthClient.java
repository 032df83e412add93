package org.hri.local.mgmt;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth client the local token endpoint accepts when authorization is on: its id, secret, the scopes it may
 * be granted (e.g. {@code tenant_t1 hri_data_integrator}) and the {@code sub} its tokens carry (the integrator
 * id of the batches it creates; defaults to the client id).
 */
public record OAuthClient(String clientId, String secret, Set<String> scopes, String sub) {

  public OAuthClient {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("OAuth client id is required");
    }
    Objects.requireNonNull(secret, "OAuth client secret");
    scopes = scopes == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
    if (sub == null) {
      sub = clientId;
    }
  }

  /** A client whose {@code sub} is its id. */
  public static OAuthClient of(String clientId, String secret, String... scopes) {
    return new OAuthClient(clientId, secret, new LinkedHashSet<>(Arrays.asList(scopes)), clientId);
  }

  /**
   * Parses {@code id:secret:scopes[:sub]}, the form of the command line's {@code --client} flag. Scopes are
   * separated by spaces or commas; the id and the secret cannot contain {@code :}; {@code sub} defaults to the
   * id.
   *
   * @throws IllegalArgumentException for a malformed value (the message does not repeat the secret)
   */
  public static OAuthClient parse(String spec) {
    String[] parts = spec.split(":", 4);
    if (parts.length < 3 || parts[0].isBlank() || parts[1].isEmpty()) {
      throw new IllegalArgumentException("a client is id:secret:scope1 scope2[:sub]");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : parts[2].split("[\\s,]+")) {
      if (!scope.isEmpty()) {
        scopes.add(scope);
      }
    }
    String sub = parts.length == 4 && !parts[3].isEmpty() ? parts[3] : parts[0];
    return new OAuthClient(parts[0], parts[1], scopes, sub);
  }

  /** Names the client without its secret. */
  @Override
  public String toString() {
    return "OAuthClient[" + clientId + ", scopes=" + String.join(" ", scopes) + ", sub=" + sub + "]";
  }
}

package org.hri.local.mgmt;

import java.util.Set;

/**
 * Who makes a batch request: the token's {@code sub} and scopes, or, with authorization off, the Management
 * API's stand-in integrator {@value LocalManagementApi#NO_AUTH_INTEGRATOR} with every right.
 */
record Caller(String sub, Set<String> scopes, boolean authorized) {
  static final String INTEGRATOR = "hri_data_integrator";
  static final String CONSUMER = "hri_consumer";
  static final String INTERNAL = "hri_internal";

  static Caller noAuth() {
    return new Caller(LocalManagementApi.NO_AUTH_INTEGRATOR, Set.of(), false);
  }

  /** Whether role checks apply (authorization is on). */
  boolean checked() {
    return authorized;
  }

  boolean has(String scope) {
    return !authorized || scopes.contains(scope);
  }

  /** Whether the caller sees only its own batches: an integrator without the consumer role. */
  boolean ownBatchesOnly() {
    return authorized && !scopes.contains(CONSUMER) && scopes.contains(INTEGRATOR);
  }
}

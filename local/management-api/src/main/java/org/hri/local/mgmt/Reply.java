package org.hri.local.mgmt;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer: a status and a JSON body, a plain-text body, or no body (both null). */
record Reply(int status, JsonNode body, String text) {
  static Reply empty(int status) {
    return new Reply(status, null, null);
  }

  static Reply json(int status, JsonNode body) {
    return new Reply(status, body, null);
  }

  static Reply text(int status, String text) {
    return new Reply(status, null, text);
  }
}

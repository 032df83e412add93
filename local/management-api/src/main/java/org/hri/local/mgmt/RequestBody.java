package org.hri.local.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hri.pipeline.model.Json;

/**
 * A JSON request body being checked field by field. Problems are collected and reported together, as one 400:
 * missing fields first ({@code Missing required parameter(s): [a, b]}), then wrong types ({@code Invalid
 * parameter type(s): [...]}), then bad values. Messages never quote the body.
 */
final class RequestBody {
  /** Characters string fields of a new batch may not contain (the Management API's injection check). */
  static final String FORBIDDEN_CHARACTERS = "\"=<>[]{}";

  private final ObjectNode node;
  private final List<String> missing = new ArrayList<>();
  private final List<String> wrongTypes = new ArrayList<>();
  private final List<String> badValues = new ArrayList<>();

  private RequestBody(ObjectNode node) {
    this.node = node;
  }

  /** Parses a body; an empty body counts as {@code {}}. */
  static RequestBody parse(byte[] body) throws ApiException {
    if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return new RequestBody(JsonNodeFactory.instance.objectNode());
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("Request body is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      return new RequestBody(JsonNodeFactory.instance.objectNode());
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("Request body must be a JSON object");
    }
    return new RequestBody((ObjectNode) node);
  }

  /** A required, non-empty string. */
  String requiredString(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
      missing.add(name);
      return null;
    }
    if (!v.isTextual()) {
      wrongTypes.add(name + " must be a string, got " + typeName(v) + " instead.");
      return null;
    }
    return v.textValue();
  }

  /** A required string that is not blank. */
  String requiredNonBlankString(String name) {
    JsonNode v = node.get(name);
    if (v != null && v.isTextual() && v.textValue().isBlank()) {
      missing.add(name);
      return null;
    }
    return requiredString(name);
  }

  /** A required integer at least {@code min}. */
  Long requiredInteger(String name, long min) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      missing.add(name);
      return null;
    }
    return integer(name, v, min);
  }

  /** An optional integer at least {@code min}; null when absent. */
  Long optionalInteger(String name, long min) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : integer(name, v, min);
  }

  /** Whether the field is present and not null. */
  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** Records a missing field (for "one of" rules the caller decides). */
  void missing(String name) {
    missing.add(name);
  }

  /** An optional JSON object; null when absent. */
  JsonNode optionalObject(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      wrongTypes.add(name + " must be an object, got " + typeName(v) + " instead.");
      return null;
    }
    return v.deepCopy();
  }

  /** Records a bad value when {@code value} contains a character of {@link #FORBIDDEN_CHARACTERS}. */
  void injectionCheck(String name, String value) {
    if (value != null && value.chars().anyMatch(c -> FORBIDDEN_CHARACTERS.indexOf(c) >= 0)) {
      badValues.add(name + " must not contain any of these characters: " + FORBIDDEN_CHARACTERS);
    }
  }

  /** Throws the 400 for the problems found so far, if any. */
  void check() throws ApiException {
    if (!missing.isEmpty()) {
      throw ApiException.badRequest("Missing required parameter(s): [" + String.join(", ", missing) + "]");
    }
    if (!wrongTypes.isEmpty()) {
      throw ApiException.badRequest("Invalid parameter type(s): [" + String.join(" ", wrongTypes) + "]");
    }
    if (!badValues.isEmpty()) {
      throw ApiException.badRequest("Invalid parameter value(s): " + String.join("; ", badValues));
    }
  }

  private Long integer(String name, JsonNode v, long min) {
    long value;
    if (!v.isNumber()) {
      wrongTypes.add(name + " must be an integer, got " + typeName(v) + " instead.");
      return null;
    }
    if (!v.canConvertToLong()) {
      wrongTypes.add(name + " must be an integer, got a number out of range instead.");
      return null;
    }
    if (v.isIntegralNumber() || v.doubleValue() == Math.rint(v.doubleValue())) {
      value = v.longValue();
    } else {
      wrongTypes.add(name + " must be an integer, got a fractional number instead.");
      return null;
    }
    if (value < min) {
      badValues.add(name + " must be greater than or equal to " + min);
      return null;
    }
    return value;
  }

  private static String typeName(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NUMBER -> "number";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}

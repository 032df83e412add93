package org.hri.examples.birthdate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The repository's Synthea sample (200 FHIR R4 Bundles, one per line) and mutated copies of its records. In a
 * project of your own, put a sample of your data under {@code src/test/resources} instead.
 */
final class SyntheaSample {
  static final Path FILE = Path.of("..", "..", "data", "synthea-sample-200.ndjson");
  /** Line 1 holds a Patient at entry[0] (birthDate 2003-02-13); line 82 holds the other one (1956-05-01). */
  static final int PATIENT_LINE = 0;
  static final int OTHER_PATIENT_LINE = 81;
  /** The first Patient's id: a failure must never contain it. */
  static final String PATIENT_ID = "dabfdec7-929a-3269-fd84-ab7e6ecaa245";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> lines;

  private SyntheaSample() {}

  static synchronized List<String> lines() {
    if (lines == null) {
      try {
        lines = List.copyOf(Files.readAllLines(FILE, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }

  /** A copy of the record on {@code line} (0-based) to change. */
  static ObjectNode bundle(int line) {
    try {
      return (ObjectNode) JSON.readTree(lines().get(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode resource(ObjectNode bundle, int entry) {
    return (ObjectNode) bundle.get("entry").get(entry).get("resource");
  }

  /** Moves entry[from] to the end of the Bundle's entries; returns its new index. */
  static int moveToEnd(ObjectNode bundle, int from) {
    ArrayNode entries = (ArrayNode) bundle.get("entry");
    entries.add(entries.remove(from));
    return entries.size() - 1;
  }

  static String json(ObjectNode node) {
    return node.toString();
  }
}

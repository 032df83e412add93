package org.hri.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The record bodies of one benchmark data set, repeated cyclically up to the wanted count. */
record Dataset(String name, List<byte[]> bodies, int records) {

  /** 1 KB JSON records: the small-record case, where per-record overhead dominates. */
  static Dataset small(int records) {
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String head = "{\"resourceType\":\"Basic\",\"id\":\"bench-" + i + "\",\"note\":\"";
      String tail = "\"}";
      String padding = "x".repeat(1024 - head.length() - tail.length());
      bodies.add((head + padding + tail).getBytes(StandardCharsets.UTF_8));
    }
    return new Dataset("small", bodies, records);
  }

  /** The Synthea FHIR R4 bundles, one per line. */
  static Dataset fhir(Path ndjson, int records) throws IOException {
    List<byte[]> bodies = new ArrayList<>();
    for (String line : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        bodies.add(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (bodies.isEmpty()) {
      throw new IOException("no records in " + ndjson);
    }
    return new Dataset("fhir", bodies, records);
  }

  byte[] body(int index) {
    return bodies.get(index % bodies.size());
  }

  long totalBytes() {
    long total = 0;
    for (int i = 0; i < records; i++) {
      total += body(i).length;
    }
    return total;
  }
}

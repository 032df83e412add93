package org.hri.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hri.pipeline.model.HriHeader;
import org.hri.pipeline.model.HriRecord;

/**
 * The records the JMH benchmarks validate: the Synthea sample ({@code data/synthea-sample-200.ndjson}, 200 FHIR R4
 * bundles, one per line), as {@link HriRecord}s with a {@code batchId} header, the way the job hands them to a
 * validator. The file is {@code -Dhri.jmh.sample=PATH}, else {@code data/synthea-sample-200.ndjson} relative to the
 * working directory (scripts/jmh runs from the project root; JMH's forks inherit both).
 *
 * <p>Record sets: {@code sample}, all 200 records in file order; {@code median}, the one record of median size (the
 * lower median by UTF-8 length), the size the structural FHIR goal is stated for; and {@code near-median}, the
 * 21 records nearest to it in size (10 smaller, 10 larger), in file order: median-size records that differ, so
 * that one record's tree and code paths staying in cache does not flatter the result.
 *
 * <p>Only sizes are ever printed, never record content.
 */
public final class SyntheaSample {
  public static final String PROPERTY = "hri.jmh.sample";
  public static final String DEFAULT = "data/synthea-sample-200.ndjson";
  public static final String ALL = "sample";
  public static final String MEDIAN = "median";
  public static final String NEAR_MEDIAN = "near-median";
  private static final int NEAR = 10;

  private SyntheaSample() {}

  public static Path path() {
    return Path.of(System.getProperty(PROPERTY, DEFAULT));
  }

  /** The record bodies of the sample, in file order (blank lines skipped). */
  public static List<byte[]> bodies() {
    Path file = path();
    List<byte[]> bodies = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          bodies.add(line.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sample " + file.toAbsolutePath()
          + " (run from the project root or set -D" + PROPERTY + "=PATH)", e);
    }
    if (bodies.isEmpty()) {
      throw new IllegalStateException("no records in " + file.toAbsolutePath());
    }
    return bodies;
  }

  /** The bodies of record set {@code name}: {@value #ALL}, {@value #MEDIAN} or {@value #NEAR_MEDIAN}. */
  public static List<byte[]> bodies(String name) {
    List<byte[]> all = bodies();
    return switch (name) {
      case ALL -> all;
      case MEDIAN -> List.of(bySize(all).get(medianIndex(all)));
      case NEAR_MEDIAN -> nearMedian(all);
      default -> throw new IllegalArgumentException(
          "unknown record set " + name + " (" + ALL + ", " + MEDIAN + " or " + NEAR_MEDIAN + ")");
    };
  }

  private static List<byte[]> bySize(List<byte[]> bodies) {
    List<byte[]> bySize = new ArrayList<>(bodies);
    bySize.sort(Comparator.comparingInt(body -> body.length)); // stable: equal sizes keep file order
    return bySize;
  }

  /** The index of the median in size order (the lower median when the count is even). */
  private static int medianIndex(List<byte[]> bodies) {
    return (bodies.size() - 1) / 2;
  }

  /** The median body and the {@value #NEAR} on each side of it in size order, in file order. */
  private static List<byte[]> nearMedian(List<byte[]> bodies) {
    List<byte[]> bySize = bySize(bodies);
    int median = medianIndex(bodies);
    List<byte[]> near = bySize.subList(Math.max(0, median - NEAR), Math.min(bySize.size(), median + NEAR + 1));
    List<byte[]> inFileOrder = new ArrayList<>();
    for (byte[] body : bodies) {
      for (byte[] chosen : near) {
        if (chosen == body) {
          inFileOrder.add(body);
          break;
        }
      }
    }
    return inFileOrder;
  }

  /** The records of {@code bodies}, as the job reads them from {@code *.in}: one batch, consecutive offsets. */
  public static HriRecord[] records(List<byte[]> bodies) {
    List<HriHeader> headers = List.of(new HriHeader(HriRecord.BATCH_ID_HEADER, "jmh-batch".getBytes(StandardCharsets.UTF_8)));
    HriRecord[] records = new HriRecord[bodies.size()];
    for (int i = 0; i < records.length; i++) {
      records[i] = new HriRecord(headers, null, bodies.get(i), "ingest.bench.synthea.in", 0, i);
    }
    return records;
  }

  /** Mean body size in bytes. */
  public static double meanBytes(List<byte[]> bodies) {
    long total = 0;
    for (byte[] body : bodies) {
      total += body.length;
    }
    return (double) total / bodies.size();
  }
}

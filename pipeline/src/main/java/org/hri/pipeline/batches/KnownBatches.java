package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/**
 * The batches the side input's publisher knows: the latest status of each, with the time of its last update and
 * a version for all of them. Kept in state by {@link StatusSideInput}, which publishes its {@link #published()}
 * statuses. Statuses only move forward, so
 * notifications read out of order never move a batch back. Batches are forgotten a retention period after
 * reaching a final status, or after being idle for the state time-to-live; a record of a forgotten batch is
 * then resolved like any record of an unknown batch.
 *
 * <p>An immutable value: it lives in Beam state, and Flink's heap state backend serializes the stored object
 * in its asynchronous snapshot while the job goes on, so a change must build a new value rather than change
 * the one read from state. {@link #withUpdates} copies the entries once for a whole publishing interval.
 */
public final class KnownBatches {
  public static final KnownBatches EMPTY = new KnownBatches(0, Map.of());

  private final Map<String, Entry> entries; // never changed after construction
  private final long version;

  private record Entry(BatchStatus status, long updatedMillis) {}

  private KnownBatches(long version, Map<String, Entry> entries) {
    this.version = version;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * The known batches after {@code updates} (in any order) as of {@code now}, without the final batches older than
   * {@code finalRetention} and the batches idle longer than {@code idleTtl}. The version grows by one for each
   * update that changes a status and by one when anything is forgotten; a repeated status only keeps its batch
   * from idling out. Returns this value itself when nothing at all changes.
   */
  public KnownBatches withUpdates(
      Iterable<KV<String, BatchStatus>> updates, Instant now, Duration finalRetention, Duration idleTtl) {
    Map<String, Entry> next = null; // copied at the first change: one copy per call, not one per update
    long nextVersion = version;
    long nowMillis = now.toEpochMilli();
    for (KV<String, BatchStatus> update : updates) {
      Map<String, Entry> current = next == null ? entries : next;
      Entry known = current.get(update.getKey());
      BatchStatus status = update.getValue();
      if (known != null && !status.supersedes(known.status)) {
        continue;
      }
      if (next == null) {
        next = new HashMap<>(entries);
      }
      next.put(update.getKey(), new Entry(status, nowMillis));
      if (known == null || known.status != status) {
        nextVersion++;
      }
    }
    long finalMillis = finalRetention.toMillis();
    long idleMillis = idleTtl.toMillis();
    boolean removed = false;
    for (Map.Entry<String, Entry> e : (next == null ? entries : next).entrySet()) {
      Entry entry = e.getValue();
      if (nowMillis - entry.updatedMillis > (entry.status.isFinal() ? finalMillis : idleMillis)) {
        removed = true;
        break;
      }
    }
    if (removed) {
      if (next == null) {
        next = new HashMap<>(entries);
      }
      next.values().removeIf(
          e -> nowMillis - e.updatedMillis > (e.status.isFinal() ? finalMillis : idleMillis));
      nextVersion++;
    }
    return next == null ? this : new KnownBatches(nextVersion, next);
  }

  public PublishedStatuses published() {
    Map<String, BatchStatus> statuses = new HashMap<>(entries.size() * 2);
    entries.forEach((id, entry) -> statuses.put(id, entry.status));
    return new PublishedStatuses(version, statuses);
  }

  /** Grows with every change; newer published statuses have a higher version. */
  public long version() {
    return version;
  }

  /** Batches without a final status. */
  public long open() {
    return entries.values().stream().filter(entry -> !entry.status.isFinal()).count();
  }

  public int size() {
    return entries.size();
  }

  /** Coder used to keep the known batches in Beam state. */
  static final class Coder extends AtomicCoder<KnownBatches> {
    private static final MapCoder<String, BatchStatus> STATUSES =
        MapCoder.of(StringUtf8Coder.of(), BatchStatusCoder.of());
    private static final MapCoder<String, Long> TIMES =
        MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

    @Override
    public void encode(KnownBatches value, OutputStream out) throws IOException {
      Map<String, BatchStatus> statuses = new HashMap<>();
      Map<String, Long> times = new HashMap<>();
      value.entries.forEach(
          (id, entry) -> {
            statuses.put(id, entry.status);
            times.put(id, entry.updatedMillis);
          });
      VarLongCoder.of().encode(value.version, out);
      STATUSES.encode(statuses, out);
      TIMES.encode(times, out);
    }

    @Override
    public KnownBatches decode(InputStream in) throws IOException {
      long version = VarLongCoder.of().decode(in);
      Map<String, BatchStatus> statuses = STATUSES.decode(in);
      Map<String, Long> times = TIMES.decode(in);
      Map<String, Entry> entries = new HashMap<>();
      statuses.forEach((id, status) -> entries.put(id, new Entry(status, times.get(id))));
      return new KnownBatches(version, entries);
    }
  }
}

package org.hri.pipeline.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.hri.pipeline.model.BatchStatus;
import org.hri.pipeline.model.BatchStatusCoder;

/**
 * The latest status of every batch, kept for the batch status side input. Statuses only move forward, so
 * notifications read out of order never move a batch back. Batches are forgotten a retention period after
 * reaching a final status, or after being idle for the state time-to-live; a record of a forgotten batch is
 * then resolved like any record of an unknown batch.
 */
public final class BatchStatusRegistry {
  private final Map<String, Entry> entries;
  private long version;

  private record Entry(BatchStatus status, long updatedMillis) {}

  public BatchStatusRegistry() {
    this(0, new HashMap<>());
  }

  private BatchStatusRegistry(long version, Map<String, Entry> entries) {
    this.version = version;
    this.entries = entries;
  }

  /** Records a batch's status as of {@code now}; returns false when the update changes nothing. */
  public boolean update(String batchId, BatchStatus status, Instant now) {
    Entry current = entries.get(batchId);
    if (current != null && !status.supersedes(current.status)) {
      return false;
    }
    entries.put(batchId, new Entry(status, now.toEpochMilli()));
    if (current != null && current.status == status) {
      return false; // a repeated notification only keeps the batch from idling out
    }
    version++;
    return true;
  }

  /** Forgets final batches older than {@code finalRetention} and any batch idle longer than {@code idleTtl}. */
  public void prune(Instant now, Duration finalRetention, Duration idleTtl) {
    long nowMillis = now.toEpochMilli();
    boolean removed =
        entries
            .values()
            .removeIf(
                e ->
                    nowMillis - e.updatedMillis
                        > (e.status.isFinal() ? finalRetention : idleTtl).toMillis());
    if (removed) {
      version++;
    }
  }

  public BatchStatusSnapshot snapshot() {
    Map<String, BatchStatus> statuses = new HashMap<>(entries.size() * 2);
    entries.forEach((id, entry) -> statuses.put(id, entry.status));
    return new BatchStatusSnapshot(version, statuses);
  }

  /** Grows with every change; a newer snapshot has a higher version. */
  public long version() {
    return version;
  }

  public int size() {
    return entries.size();
  }

  /** Coder used to keep the registry in Beam state. */
  static final class Coder extends AtomicCoder<BatchStatusRegistry> {
    private static final MapCoder<String, BatchStatus> STATUSES =
        MapCoder.of(StringUtf8Coder.of(), BatchStatusCoder.of());
    private static final MapCoder<String, Long> TIMES =
        MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

    @Override
    public void encode(BatchStatusRegistry value, OutputStream out) throws IOException {
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
    public BatchStatusRegistry decode(InputStream in) throws IOException {
      long version = VarLongCoder.of().decode(in);
      Map<String, BatchStatus> statuses = STATUSES.decode(in);
      Map<String, Long> times = TIMES.decode(in);
      Map<String, Entry> entries = new HashMap<>();
      statuses.forEach((id, status) -> entries.put(id, new Entry(status, times.get(id))));
      return new BatchStatusRegistry(version, entries);
    }
  }
}

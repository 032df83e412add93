package org.hri.local.mgmt;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hri.pipeline.model.BatchNotification;

/**
 * The in-memory index of batches, by id, each with its tenant. Kafka's notification topics are the durable
 * copy: the store is rebuilt from them on start. A status change holds the batch's {@link Entry} monitor while
 * its notification is written, so changes of one batch never interleave.
 */
final class BatchStore {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /** One batch: its tenant, creation order, and its current document. */
  static final class Entry {
    final String tenant;
    final long seq;
    private volatile BatchNotification batch;

    private Entry(String tenant, long seq, BatchNotification batch) {
      this.tenant = tenant;
      this.seq = seq;
      this.batch = batch;
    }

    BatchNotification batch() {
      return batch;
    }

    /** Replaces the document; callers hold this entry's monitor. */
    void set(BatchNotification batch) {
      this.batch = batch;
    }
  }

  /** The batch with this id in this tenant, or null. */
  Entry get(String tenant, String id) {
    Entry e = entries.get(id);
    return e != null && e.tenant.equals(tenant) ? e : null;
  }

  /**
   * Adds a batch, or replaces the document of a known one (same id; its tenant is kept once known). Used on
   * creation and while rebuilding, never concurrently with a status change of the same batch.
   */
  void put(String tenant, BatchNotification batch) {
    entries.compute(batch.id(), (id, existing) -> {
      if (existing == null) {
        return new Entry(tenant, sequence.incrementAndGet(), batch);
      }
      existing.set(batch);
      return existing;
    });
  }

  /** The batches of a tenant, oldest first (by start date, then creation order). */
  List<BatchNotification> list(String tenant) {
    return entries.values().stream()
        .filter(e -> e.tenant.equals(tenant))
        .sorted(Comparator.comparing((Entry e) -> e.batch().startDate(),
                Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(e -> e.seq))
        .map(Entry::batch)
        .toList();
  }

  int size() {
    return entries.size();
  }
}

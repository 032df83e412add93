package org.hri.pipeline.kafka;

/**
 * What the writer does with a numbered record of a shard, given the next number the shard expects: the
 * numbers before it are written (a replay), the next one is written now, later ones wait for the gap before
 * them to fill (runners may reorder elements between two steps). So each shard's transactions always hold
 * a run's records from 0 up to their position, none missing: that is what a position means.
 */
enum WriteOrder {
  ALREADY_WRITTEN,
  WRITE,
  WAIT;

  static WriteOrder of(long sequence, long expected) {
    if (sequence < expected) {
      return ALREADY_WRITTEN;
    }
    return sequence == expected ? WRITE : WAIT;
  }
}

package org.hri.pipeline.kafka;

/**
 * What the writer does with a chunk of numbered records of a shard, given the next number the shard expects:
 * a chunk wholly below it was written (a replay), one that holds it is written now (from that number on),
 * later ones wait for the gap before them to fill (runners may reorder elements between two steps). So each shard's transactions always hold
 * a run's records from 0 up to their position, none missing: that is what a position means.
 */
enum WriteOrder {
  ALREADY_WRITTEN,
  WRITE,
  WAIT;

  /** For the chunk numbered {@code first} up to {@code end} (exclusive). */
  static WriteOrder of(long first, long end, long expected) {
    if (end <= expected) {
      return ALREADY_WRITTEN;
    }
    return first <= expected ? WRITE : WAIT;
  }
}

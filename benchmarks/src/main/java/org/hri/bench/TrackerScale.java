package org.hri.bench;

/**
 * The tracker holding many open batches at once: state and heap while they are open, and whether every one
 * gets its verdict, and how fast, once they are all sendCompleted; on Flink, its failed checkpoints and restarts
 * (null on other runners).
 */
record TrackerScale(
    String runner,
    int batches,
    long heapOpenMib,
    long checkpointMib,
    double verdictSeconds,
    long completed,
    long failed,
    long peakRssMib,
    FlinkHealth flink) {

  /** Every verdict right. Failed checkpoints and restarts are in {@link #flink}. */
  boolean correct() {
    return completed == batches && failed == 0;
  }
}

package org.hri.runners.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.hri.pipeline.HriPipelineOptions;

/**
 * The original job's Flink settings, used wherever the user did not choose, but for checkpoints every 300 ms
 * instead of every second (the Kafka transactions commit with each one): exactly-once checkpoints, a 120 s
 * checkpoint timeout, one checkpoint at a time, bundles finished before each checkpoint, and exactly-once
 * Kafka outputs; embedded, checkpoints in files under the temporary directory. For throughput: bundles of up
 * to 10,000 elements and no copies between chained operators. Restarts follow the cluster's restart strategy
 * (the project's session cluster configures the original's failure rate: 10 in 5 minutes, 10 s apart).
 */
final class FlinkDefaults {
  /**
   * A third of the original's second: verdicts and records wait for the checkpoint after them. Measured
   * (docs/performance.md): verdict latency beyond the delay 0.44–0.47 / 0.70–0.72 s median / max, against
   * 0.88 / 1.26 s at 500 ms, and more throughput.
   */
  static final long CHECKPOINT_INTERVAL_MS = 300;
  static final long CHECKPOINT_TIMEOUT_MS = 120_000;
  /** Beam's default is 1,000. Bundles end at each checkpoint anyway; bigger ones cost less per record. */
  static final long MAX_BUNDLE_SIZE = 10_000;
  static final String EMBEDDED = "[local]";

  private FlinkDefaults() {}

  /**
   * Applies the defaults to what the user left unset; {@code given} names the options on the command line
   * (Beam's options with a default value cannot tell "unset" from "set to the default").
   */
  static void apply(HriPipelineOptions options, Set<String> given) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!given.contains("jobName")) {
      options.setJobName("hri-validation-" + String.valueOf(options.getInput()).replace('.', '-'));
    }
    if (!given.contains("maxBundleSize")) {
      flink.setMaxBundleSize(MAX_BUNDLE_SIZE);
    }
    if (!given.contains("fasterCopy")) {
      // No copy of each element between chained operators: Beam's model forbids a DoFn to change its input
      // (the DirectRunner checks the job's own DoFns in the tests), so the copies only cost time.
      flink.setFasterCopy(true);
    }
    if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() <= 0) {
      flink.setCheckpointingInterval(CHECKPOINT_INTERVAL_MS);
    }
    if (flink.getCheckpointTimeoutMillis() == null || flink.getCheckpointTimeoutMillis() <= 0) {
      flink.setCheckpointTimeoutMillis(CHECKPOINT_TIMEOUT_MS);
    }
    // Validation emits its per-bundle counts in finishBundle. Without this, a bundle finished by a checkpoint
    // has its outputs buffered until the next input arrives, so an idle job would never complete a batch.
    flink.setFinishBundleBeforeCheckpointing(true);
    if (options.getExactlyOnce() == null) {
      options.setExactlyOnce(true);
    }
    if (EMBEDDED.equals(flink.getFlinkMaster()) && flink.getStateBackend() == null
        && flink.getStateBackendFactory() == null) {
      // Embedded, checkpoints would go to the JobManager's memory, which refuses state over 5 MB: less than a
      // second of records held for the exactly-once sink at full speed, and the job would restart forever.
      // A session cluster has its own state.checkpoints.dir (scripts/flink sets one).
      flink.setStateBackend("filesystem");
      flink.setStateBackendStoragePath(checkpointDirectory(options.getJobName()).toUri().toString());
    }
    options.setStreaming(true);
  }

  /** Checkpoints hold records in flight, health data: a directory only this user can read. */
  private static Path checkpointDirectory(String jobName) {
    Path directory = Path.of(System.getProperty("java.io.tmpdir"), "hri-flink-checkpoints", jobName);
    try {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory.getParent(), PosixFilePermissions.fromString("rwx------"));
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("--stateBackendStoragePath: cannot create " + directory + " (" + e + ")");
    }
    return directory;
  }
}

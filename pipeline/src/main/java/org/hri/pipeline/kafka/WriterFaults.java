package org.hri.pipeline.kafka;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failures injected into the exactly-once writer's protocol, for the failover tests: each step of a
 * transaction where a crash leaves different traces behind.
 */
public interface WriterFaults extends Serializable {
  /** The windows of one transaction. */
  enum Step {
    /** Records sent in an open transaction, nothing committed. */
    AFTER_SEND,
    /** The shard's position added to the transaction, the commit not yet asked for. */
    BEFORE_COMMIT,
    /** The transaction committed; the checkpoint after it not yet taken. */
    AFTER_COMMIT
  }

  /** Called by the writer when it reaches {@code step}; throws to inject a failure there. */
  void at(Step step);

  /** No failures: the production writer. */
  static WriterFaults none() {
    return step -> {};
  }

  /**
   * Fails once at each step, the first time the step is reached, in any process on this machine: a file
   * named after the step in {@code directory} records that it failed, so a restored job goes past it.
   */
  static WriterFaults oncePerStep(String directory) {
    return step -> {
      try {
        Files.createFile(Path.of(directory, step.name()));
      } catch (FileAlreadyExistsException alreadyFailedThere) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new InjectedWriterFault(step);
    };
  }

  /** The failure {@link #oncePerStep} injects. */
  final class InjectedWriterFault extends RuntimeException {
    InjectedWriterFault(Step step) {
      super("Injected writer failure at " + step);
    }
  }
}

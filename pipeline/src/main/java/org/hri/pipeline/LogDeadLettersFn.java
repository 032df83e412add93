package org.hri.pipeline;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.hri.pipeline.model.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs and counts every dead letter, so an operator sees each one with or without a dead-letter topic. */
final class LogDeadLettersFn extends DoFn<DeadLetter, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(LogDeadLettersFn.class);
  private static final Counter DEAD_LETTERS = Metrics.counter("hri", "dead-letters");

  @ProcessElement
  public void process(@Element DeadLetter letter) {
    DEAD_LETTERS.inc();
    LOG.error("Dead letter: {}", letter.describe());
  }
}

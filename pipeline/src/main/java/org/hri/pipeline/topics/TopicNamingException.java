package org.hri.pipeline.topics;

/** The input topic's name does not follow {@code ingest.<tenant>.<integrator>[.qualifier].in}. */
public final class TopicNamingException extends IllegalArgumentException {
  public TopicNamingException(String message) {
    super(message);
  }
}

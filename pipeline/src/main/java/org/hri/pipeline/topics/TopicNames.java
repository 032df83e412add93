package org.hri.pipeline.topics;

import java.io.Serializable;

/**
 * The four topics of an HRI stream, derived from its input topic {@code ingest.<tenant>.<integrator>[.q].in}:
 * {@code .out}, {@code .invalid} and {@code .notification} share the input's base name, and the tenant is
 * the name's second element.
 */
public record TopicNames(String input, String tenantId, String base) implements Serializable {
  private static final String PREFIX = "ingest.";
  private static final String SUFFIX = ".in";

  /** Checks the input topic's name and derives the others; the messages are the original job's. */
  public static TopicNames forInput(String input) {
    String invalid = "The Input Topic Name " + input + " is invalid. ";
    if (input == null || !input.startsWith(PREFIX)) {
      throw new TopicNamingException(invalid + "It must start with \"ingest.\"");
    }
    if (!input.endsWith(SUFFIX)) {
      throw new TopicNamingException(invalid + "It must end with \".in\"");
    }
    String[] elements = input.split("\\.", -1);
    if (elements.length < 4) {
      throw new TopicNamingException(
          invalid
              + "It must have 4 elements separated by a '.' but only had "
              + elements.length
              + ". Expected pattern: 'ingest.<tenant-id>.<data-integrator-id>[.optional-qualifier].in'.");
    }
    return new TopicNames(input, elements[1], input.substring(0, input.length() - SUFFIX.length()));
  }

  public String output() {
    return base + ".out";
  }

  public String invalid() {
    return base + ".invalid";
  }

  public String notification() {
    return base + ".notification";
  }
}

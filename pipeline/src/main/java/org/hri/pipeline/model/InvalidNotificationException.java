package org.hri.pipeline.model;

import java.io.IOException;

/** A message that is not a valid batch notification; the message names the problem, never a value. */
public final class InvalidNotificationException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidNotificationException(String message) {
    super(message);
  }
}

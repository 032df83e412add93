package org.hri.pipeline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Status of an HRI batch, as it appears in notifications ({@code "started"}, {@code "sendCompleted"}, ...). */
public enum BatchStatus {
  STARTED("started", 0),
  SEND_COMPLETED("sendCompleted", 1),
  COMPLETED("completed", 2),
  TERMINATED("terminated", 3),
  FAILED("failed", 3);

  private final String json;
  private final int rank;

  BatchStatus(String json, int rank) {
    this.json = json;
    this.rank = rank;
  }

  @JsonValue
  public String json() {
    return json;
  }

  @JsonCreator
  public static BatchStatus fromJson(String value) {
    for (BatchStatus status : values()) {
      if (status.json.equals(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException("Unknown batch status");
  }

  /** True for the statuses no batch ever leaves in the normal flow: completed, terminated, failed. */
  public boolean isFinal() {
    return rank >= 2;
  }

  /**
   * Whether a notification with this status should replace one with {@code current}. Statuses only move
   * forward, so a notification delivered out of order never moves a batch back (completed may still become
   * failed, which the Management API allows).
   */
  public boolean supersedes(BatchStatus current) {
    return current == null || rank >= current.rank;
  }

  @Override
  public String toString() {
    return json;
  }
}

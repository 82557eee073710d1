package org.lms.application;

import java.time.Duration;

/** Sign-in throttled after repeated failures; the caller may retry after {@link #retryAfter()}. */
public final class TooManyAttemptsException extends RuntimeException {
  private final Duration retryAfter;

  public TooManyAttemptsException(Duration retryAfter) {
    super(
        "too many failed sign-ins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s",
        null,
        false,
        false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}

package org.lms.application.account;

import java.time.Instant;
import org.lms.application.Actor;

/** A new session: the bearer token (shown once, to its owner), when it expires, and who it is. */
public record SignedIn(String token, Instant expiresAt, Actor actor) {
  @Override
  public String toString() {
    return "SignedIn[" + actor + ", expiresAt=" + expiresAt + "]"; // never log the token
  }
}

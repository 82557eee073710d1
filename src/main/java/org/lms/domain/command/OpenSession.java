package org.lms.domain.command;

import java.time.Instant;

/**
 * A user signed in: the accepting node checked the password and proposes the session under the
 * SHA-256 of its token.
 */
public record OpenSession(String sessionId, String userId, Instant expiresAt, Instant issuedAt)
    implements Command {
  @Override
  public String actorId() {
    return userId;
  }
}

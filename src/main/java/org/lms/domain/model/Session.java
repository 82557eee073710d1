package org.lms.domain.model;

import java.time.Instant;

/**
 * A signed-in session, replicated so that any node honours it. The id is the SHA-256 of the token;
 * the token itself never leaves the node that issued it.
 */
public record Session(String id, String userId, Instant openedAt, Instant expiresAt)
    implements Entity {

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}

package org.lms.domain.model;

import java.time.Instant;

/**
 * A person who signs in. The password is kept only as a PBKDF2 hash computed by the node that
 * accepted it.
 */
public record User(
    String id,
    String username,
    String displayName,
    Role role,
    String passwordHash,
    boolean disabled,
    Instant createdAt)
    implements Entity {

  public User withPasswordHash(String hash) {
    return new User(id, username, displayName, role, hash, disabled, createdAt);
  }

  public User withDisabled(boolean value) {
    return new User(id, username, displayName, role, passwordHash, value, createdAt);
  }
}

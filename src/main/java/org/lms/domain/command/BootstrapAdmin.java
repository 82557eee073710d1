package org.lms.domain.command;

import java.time.Instant;

/** Create the first administrator; accepted only while the cluster has no users at all. */
public record BootstrapAdmin(String userId, String username, String passwordHash, Instant issuedAt)
    implements Command {
  @Override
  public String actorId() {
    return SYSTEM;
  }
}

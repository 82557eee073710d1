package org.lms.domain.command;

import java.time.Instant;

/** Remove every session that expired by {@code issuedAt}; proposed periodically by the cluster. */
public record ExpireSessions(Instant issuedAt) implements Command {
  @Override
  public String actorId() {
    return SYSTEM;
  }
}

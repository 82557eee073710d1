package org.lms.domain.command;

import java.time.Instant;
import org.lms.domain.model.Role;

/** An administrator creates an account. */
public record RegisterUser(
    String userId,
    String username,
    String displayName,
    Role role,
    String passwordHash,
    String actorId,
    Instant issuedAt)
    implements Command {}

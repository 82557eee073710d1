package org.lms.domain.command;

import java.time.Instant;

/**
 * A user changes their own password, or an administrator resets it. Carries only the new hash.
 * Every other session of the user ends; {@code keepSessionId} (the hash of the session that made
 * the change, or null) survives.
 */
public record SetPassword(
    String userId, String passwordHash, String keepSessionId, String actorId, Instant issuedAt)
    implements Command {}

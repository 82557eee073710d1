package org.lms.domain.command;

import java.time.Instant;

/** An administrator disables (ends every session of) or re-enables an account. */
public record SetUserDisabled(String userId, boolean disabled, String actorId, Instant issuedAt)
    implements Command {}

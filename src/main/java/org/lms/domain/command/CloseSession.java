package org.lms.domain.command;

import java.time.Instant;

/** Sign out: the session ends on every node. */
public record CloseSession(String sessionId, String actorId, Instant issuedAt) implements Command {}

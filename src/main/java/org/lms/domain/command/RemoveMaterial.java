package org.lms.domain.command;

import java.time.Instant;

/** An instructor withdraws a published file. */
public record RemoveMaterial(String materialId, String actorId, Instant issuedAt)
    implements Command {}

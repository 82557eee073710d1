package org.lms.domain.command;

import java.time.Instant;

/** An instructor makes one grade visible to its student. */
public record ReleaseGrade(String submissionId, String actorId, Instant issuedAt)
    implements Command {}

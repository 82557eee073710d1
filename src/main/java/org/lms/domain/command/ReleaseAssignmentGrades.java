package org.lms.domain.command;

import java.time.Instant;

/** An instructor releases every grade of an assignment at once. */
public record ReleaseAssignmentGrades(String assignmentId, String actorId, Instant issuedAt)
    implements Command {}

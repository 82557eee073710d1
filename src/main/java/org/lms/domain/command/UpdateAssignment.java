package org.lms.domain.command;

import java.time.Instant;

/** An instructor changes an assignment's text, dates or points. */
public record UpdateAssignment(
    String assignmentId,
    String title,
    String description,
    Instant opensAt,
    Instant dueAt,
    Instant cutoffAt,
    int maxPoints,
    String actorId,
    Instant issuedAt)
    implements Command {}

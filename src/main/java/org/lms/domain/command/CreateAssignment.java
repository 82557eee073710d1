package org.lms.domain.command;

import java.time.Instant;

/** An instructor creates an assignment in a course they teach. */
public record CreateAssignment(
    String assignmentId,
    String courseId,
    String title,
    String description,
    Instant opensAt,
    Instant dueAt,
    Instant cutoffAt,
    int maxPoints,
    String actorId,
    Instant issuedAt)
    implements Command {}

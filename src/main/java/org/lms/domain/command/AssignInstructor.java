package org.lms.domain.command;

import java.time.Instant;

/** An administrator adds an instructor to a course, or removes one. */
public record AssignInstructor(
    String courseId, String instructorId, boolean assigned, String actorId, Instant issuedAt)
    implements Command {}

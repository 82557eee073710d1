package org.lms.domain.command;

import java.time.Instant;

/** An instructor of the course, or an administrator, removes a student (their work is kept). */
public record UnenrolStudent(String courseId, String studentId, String actorId, Instant issuedAt)
    implements Command {}

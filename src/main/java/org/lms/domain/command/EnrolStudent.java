package org.lms.domain.command;

import java.time.Instant;

/** An instructor of the course, or an administrator, enrols a student. */
public record EnrolStudent(String courseId, String studentId, String actorId, Instant issuedAt)
    implements Command {}

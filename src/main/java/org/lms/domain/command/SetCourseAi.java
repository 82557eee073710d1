package org.lms.domain.command;

import java.time.Instant;

/** An instructor of the course or an admin switches the AI assistant on or off for the course. */
public record SetCourseAi(String courseId, boolean enabled, String actorId, Instant issuedAt)
    implements Command {}

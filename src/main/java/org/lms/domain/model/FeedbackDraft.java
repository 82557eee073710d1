package org.lms.domain.model;

import java.time.Instant;

/**
 * Feedback a model drafted on a submission at an instructor's request. Only the course's
 * instructors see it; it becomes feedback only when an instructor grades the submission naming it,
 * and that grade is then marked AI-assisted.
 */
public record FeedbackDraft(
    String id,
    String submissionId,
    String assignmentId,
    String courseId,
    String studentId,
    String model,
    String promptSha256,
    String text,
    String requestedBy,
    Instant createdAt)
    implements Entity {}

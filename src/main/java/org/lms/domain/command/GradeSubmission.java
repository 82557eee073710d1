package org.lms.domain.command;

import java.time.Instant;

/**
 * An instructor grades a submission. Rejected if the grade changed since {@code expectedVersion} (0
 * for a submission not yet graded): a stale edit never overwrites. {@code draftId} names the AI
 * feedback draft the instructor approved (edited or not), which marks the grade AI-assisted; null
 * when the feedback is the instructor's own.
 */
public record GradeSubmission(
    String submissionId,
    double points,
    String feedback,
    long expectedVersion,
    String actorId,
    Instant issuedAt,
    String draftId)
    implements Command {}

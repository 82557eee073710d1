package org.lms.domain.command;

import java.time.Instant;

/**
 * A feedback draft a model wrote on a submission at an instructor's request, committed with the
 * model's name and the prompt's SHA-256 after the accepting node called the model once, so that a
 * replay never calls it again.
 */
public record RecordFeedbackDraft(
    String draftId,
    String submissionId,
    String model,
    String promptSha256,
    String text,
    String actorId,
    Instant issuedAt)
    implements Command {}

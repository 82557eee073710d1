package org.lms.domain.command;

import java.time.Instant;
import org.lms.domain.model.Answer.AuthorKind;

/**
 * An answer to a question: written by an instructor of the course, or produced once by a model on
 * the request of {@code actorId} and committed with the model's name and the prompt's SHA-256, so
 * that a replay never calls the model again.
 */
public record AnswerQuestion(
    String answerId,
    String questionId,
    AuthorKind authorKind,
    String model,
    String promptSha256,
    String text,
    String actorId,
    Instant issuedAt)
    implements Command {}

package org.lms.domain.command;

import java.time.Instant;
import org.lms.domain.model.Question.Addressee;

/** A student asks a question in a course they attend, of the instructor or of the AI. */
public record AskQuestion(
    String questionId,
    String courseId,
    Addressee addressee,
    String text,
    String actorId,
    Instant issuedAt)
    implements Command {}

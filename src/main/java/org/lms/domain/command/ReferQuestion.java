package org.lms.domain.command;

import java.time.Instant;

/**
 * The student who asked the AI passes the question on to the instructor, after the AI's answer or
 * when the AI could not answer; the question is open for the instructor from then on.
 */
public record ReferQuestion(String questionId, String actorId, Instant issuedAt)
    implements Command {}

package org.lms.domain.command;

import java.time.Instant;

/**
 * An instructor of the course endorses an answer ({@code endorsed}), which shares it and its
 * question with every student of the course, or withdraws the endorsement.
 */
public record EndorseAnswer(String answerId, boolean endorsed, String actorId, Instant issuedAt)
    implements Command {}

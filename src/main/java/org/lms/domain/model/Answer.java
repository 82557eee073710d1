package org.lms.domain.model;

import java.time.Instant;

/**
 * An answer to a question, by an instructor ({@code authorId}) or by a model ({@code model} and the
 * SHA-256 of the prompt it was given, so the answer can be traced without storing the prompt). A
 * model's answer cites its sources as {@link Citation}s. An instructor who endorses an answer
 * ({@code endorsedBy}, {@code endorsedAt}) shares it, with its question, with the whole course.
 */
public record Answer(
    String id,
    String questionId,
    String courseId,
    AuthorKind authorKind,
    String authorId,
    String model,
    String promptSha256,
    String text,
    Instant answeredAt,
    String endorsedBy,
    Instant endorsedAt)
    implements Entity {

  public boolean endorsed() {
    return endorsedBy != null;
  }

  /** Endorsed by {@code instructorId} at {@code at}; both null withdraws the endorsement. */
  public Answer withEndorsement(String instructorId, Instant at) {
    return new Answer(
        id,
        questionId,
        courseId,
        authorKind,
        authorId,
        model,
        promptSha256,
        text,
        answeredAt,
        instructorId,
        at);
  }

  /** Whether a person or a model wrote the answer. */
  public enum AuthorKind {
    INSTRUCTOR,
    MODEL
  }
}

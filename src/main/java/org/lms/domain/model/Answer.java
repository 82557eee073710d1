package org.lms.domain.model;

import java.time.Instant;

/**
 * An answer to a question, by an instructor ({@code authorId}) or by a model ({@code model} and the
 * SHA-256 of the prompt it was given, so the answer can be traced without storing the prompt).
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
    Instant answeredAt)
    implements Entity {

  /** Whether a person or a model wrote the answer. */
  public enum AuthorKind {
    INSTRUCTOR,
    MODEL
  }
}

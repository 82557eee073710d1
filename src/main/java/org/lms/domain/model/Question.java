package org.lms.domain.model;

import java.time.Instant;

/** A student's question in a course, for the instructor or for the AI assistant. */
public record Question(
    String id,
    String courseId,
    String askedBy,
    Addressee addressee,
    String text,
    QuestionStatus status,
    Instant askedAt,
    Instant answeredAt)
    implements Entity {

  public Question answered(Instant at) {
    return new Question(
        id, courseId, askedBy, addressee, text, QuestionStatus.ANSWERED, askedAt, at);
  }

  /** Who the student asked. */
  public enum Addressee {
    INSTRUCTOR,
    AI
  }

  /** Whether an answer exists. */
  public enum QuestionStatus {
    OPEN,
    ANSWERED
  }
}

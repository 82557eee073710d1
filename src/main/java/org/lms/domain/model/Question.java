package org.lms.domain.model;

import java.time.Instant;

/**
 * A student's question in a course, for the instructor or for the AI assistant. A question for the
 * AI that its student passes on to the instructor is addressed to the instructor from then on and
 * open again ({@code referredAt}). A question is {@code shared} with the whole course while one of
 * its answers is endorsed by an instructor.
 */
public record Question(
    String id,
    String courseId,
    String askedBy,
    Addressee addressee,
    String text,
    QuestionStatus status,
    Instant askedAt,
    Instant answeredAt,
    Instant referredAt,
    boolean shared)
    implements Entity {

  public Question answered(Instant at) {
    return new Question(
        id,
        courseId,
        askedBy,
        addressee,
        text,
        QuestionStatus.ANSWERED,
        askedAt,
        at,
        referredAt,
        shared);
  }

  /** Passed on to the instructor: open again until the instructor answers. */
  public Question referred(Instant at) {
    return new Question(
        id,
        courseId,
        askedBy,
        Addressee.INSTRUCTOR,
        text,
        QuestionStatus.OPEN,
        askedAt,
        answeredAt,
        at,
        shared);
  }

  public Question sharedWithCourse(boolean share) {
    return new Question(
        id, courseId, askedBy, addressee, text, status, askedAt, answeredAt, referredAt, share);
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

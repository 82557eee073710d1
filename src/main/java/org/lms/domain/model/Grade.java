package org.lms.domain.model;

import java.time.Instant;

/**
 * The current grade of one submission (its id is the submission's). {@code version} counts the
 * changes and is what a grader must name to change it again (compare-and-set); every change is also
 * kept as a {@link GradeEvent}. {@code aiAssisted} marks feedback that began as an AI draft the
 * instructor approved, so the student can tell.
 */
public record Grade(
    String id,
    String assignmentId,
    String courseId,
    String studentId,
    double points,
    String feedback,
    boolean released,
    long version,
    String gradedBy,
    Instant gradedAt,
    Instant releasedAt,
    boolean aiAssisted)
    implements Entity {

  public String submissionId() {
    return id;
  }

  /** This grade made visible to its student at {@code at}: one more version. */
  public Grade release(Instant at) {
    return new Grade(
        id,
        assignmentId,
        courseId,
        studentId,
        points,
        feedback,
        true,
        version + 1,
        gradedBy,
        gradedAt,
        at,
        aiAssisted);
  }
}

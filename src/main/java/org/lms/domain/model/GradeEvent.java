package org.lms.domain.model;

import java.time.Instant;

/** One entry of a grade's history: the grade as it stood after version {@code version}. */
public record GradeEvent(
    String id,
    String submissionId,
    String courseId,
    long version,
    GradeChange change,
    double points,
    String feedback,
    boolean released,
    String actorId,
    Instant at,
    boolean aiAssisted)
    implements Entity {

  public static String idOf(String submissionId, long version) {
    return submissionId + "#" + version;
  }

  /** What happened in one grade change. */
  public enum GradeChange {
    GRADED,
    RELEASED
  }
}

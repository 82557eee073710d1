package org.lms.domain.command;

import java.time.Instant;
import java.util.List;

/** An administrator creates a course, optionally naming its first instructors. */
public record CreateCourse(
    String courseId,
    String code,
    String title,
    List<String> instructorIds,
    String actorId,
    Instant issuedAt)
    implements Command {
  public CreateCourse {
    instructorIds = List.copyOf(instructorIds);
  }
}

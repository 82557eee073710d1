package org.lms.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A course with its instructors and enrolled students (user ids, kept sorted). The AI assistant
 * serves a course unless an instructor or an admin switched it off ({@code aiDisabled}).
 */
public record Course(
    String id,
    String code,
    String title,
    List<String> instructorIds,
    List<String> studentIds,
    Instant createdAt,
    boolean aiDisabled)
    implements Entity {

  public Course {
    instructorIds = List.copyOf(instructorIds);
    studentIds = List.copyOf(studentIds);
  }

  public boolean isTaughtBy(String userId) {
    return instructorIds.contains(userId);
  }

  public boolean isAttendedBy(String userId) {
    return studentIds.contains(userId);
  }

  public Course withInstructor(String userId) {
    return new Course(
        id, code, title, plus(instructorIds, userId), studentIds, createdAt, aiDisabled);
  }

  public Course withoutInstructor(String userId) {
    return new Course(
        id, code, title, minus(instructorIds, userId), studentIds, createdAt, aiDisabled);
  }

  public Course withStudent(String userId) {
    return new Course(
        id, code, title, instructorIds, plus(studentIds, userId), createdAt, aiDisabled);
  }

  public Course withoutStudent(String userId) {
    return new Course(
        id, code, title, instructorIds, minus(studentIds, userId), createdAt, aiDisabled);
  }

  public Course withAi(boolean enabled) {
    return new Course(id, code, title, instructorIds, studentIds, createdAt, !enabled);
  }

  public boolean aiEnabled() {
    return !aiDisabled;
  }

  private static List<String> plus(List<String> ids, String id) {
    var copy = new ArrayList<>(ids);
    if (!copy.contains(id)) {
      copy.add(id);
      copy.sort(null);
    }
    return copy;
  }

  private static List<String> minus(List<String> ids, String id) {
    var copy = new ArrayList<>(ids);
    copy.remove(id);
    return copy;
  }
}

package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_FILE_NAME;
import static org.lms.domain.state.Checks.MAX_LONG_TEXT;
import static org.lms.domain.state.Checks.MAX_POINTS;
import static org.lms.domain.state.Checks.MAX_TITLE;

import java.time.Instant;
import java.util.List;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;

/** Assignments and the submissions handed in for them. */
final class AssignmentHandlers {
  private AssignmentHandlers() {}

  static List<Change> createAssignment(CreateAssignment c, State state) {
    Checks.id("assignmentId", c.assignmentId());
    checkContent(c.title(), c.description(), c.opensAt(), c.dueAt(), c.cutoffAt(), c.maxPoints());
    Checks.instant("issuedAt", c.issuedAt());
    Course course = state.course("courseId", c.courseId());
    User actor = state.instructorOf(c.actorId(), course);
    state.requireNew(Assignment.class, "assignmentId", c.assignmentId());
    return List.of(
        new Change.Put(
            new Assignment(
                c.assignmentId(),
                course.id(),
                c.title().strip(),
                Checks.optionalText("description", c.description(), MAX_LONG_TEXT),
                c.opensAt(),
                c.dueAt(),
                c.cutoffAt(),
                c.maxPoints(),
                actor.id(),
                c.issuedAt(),
                c.issuedAt())));
  }

  static List<Change> updateAssignment(UpdateAssignment c, State state) {
    checkContent(c.title(), c.description(), c.opensAt(), c.dueAt(), c.cutoffAt(), c.maxPoints());
    Checks.instant("issuedAt", c.issuedAt());
    Assignment old = state.assignment("assignmentId", c.assignmentId());
    state.instructorOf(c.actorId(), state.course("courseId", old.courseId()));
    for (Grade grade : state.gradesOf(old.id())) {
      if (grade.points() > c.maxPoints()) {
        throw new RejectedException(
            RejectionReason.POINTS_ABOVE_MAXIMUM,
            "maxPoints",
            "a grade of " + grade.points() + " points exists; maxPoints cannot go below it");
      }
    }
    return List.of(
        new Change.Put(
            new Assignment(
                old.id(),
                old.courseId(),
                c.title().strip(),
                Checks.optionalText("description", c.description(), MAX_LONG_TEXT),
                c.opensAt(),
                c.dueAt(),
                c.cutoffAt(),
                c.maxPoints(),
                old.createdBy(),
                old.createdAt(),
                c.issuedAt())));
  }

  static List<Change> submitAssignment(SubmitAssignment c, State state) {
    Checks.id("submissionId", c.submissionId());
    Checks.line("fileName", c.fileName(), MAX_FILE_NAME);
    Checks.positiveSize("size", c.size());
    Checks.mediaType("mediaType", c.mediaType());
    Checks.sha256("sha256", c.sha256());
    Instant at = Checks.instant("issuedAt", c.issuedAt());
    Assignment assignment = state.assignment("assignmentId", c.assignmentId());
    User student = state.studentIn(c.actorId(), state.course("courseId", assignment.courseId()));
    state.requireNew(Submission.class, "submissionId", c.submissionId());
    if (at.isBefore(assignment.opensAt())) {
      throw new RejectedException(
          RejectionReason.ASSIGNMENT_NOT_OPEN,
          "assignmentId",
          "the assignment opens at " + assignment.opensAt());
    }
    if (at.isAfter(assignment.cutoffAt())) {
      throw new RejectedException(
          RejectionReason.SUBMISSION_AFTER_CUTOFF,
          "assignmentId",
          "submissions closed at " + assignment.cutoffAt());
    }
    int version = (int) state.submissionCount(assignment.id(), student.id()) + 1;
    return List.of(
        new Change.Put(
            new Submission(
                c.submissionId(),
                assignment.id(),
                assignment.courseId(),
                student.id(),
                version,
                c.fileName(),
                c.size(),
                c.mediaType(),
                c.sha256(),
                at,
                at.isAfter(assignment.dueAt()))));
  }

  private static void checkContent(
      String title,
      String description,
      Instant opensAt,
      Instant dueAt,
      Instant cutoffAt,
      int maxPoints) {
    Checks.line("title", title, MAX_TITLE);
    Checks.optionalText("description", description, MAX_LONG_TEXT);
    Checks.instant("opensAt", opensAt);
    Checks.instant("dueAt", dueAt);
    Checks.instant("cutoffAt", cutoffAt);
    if (!dueAt.isAfter(opensAt)) {
      throw Checks.invalid("dueAt", "must be after opensAt");
    }
    if (cutoffAt.isBefore(dueAt)) {
      throw Checks.invalid("cutoffAt", "must not be before dueAt");
    }
    if (maxPoints < 1 || maxPoints > MAX_POINTS) {
      throw Checks.invalid("maxPoints", "must be between 1 and " + MAX_POINTS);
    }
  }
}

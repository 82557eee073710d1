package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_LONG_TEXT;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.FeedbackDraft;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.GradeEvent.GradeChange;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;

/**
 * Grades: compare-and-set by version, released on request, every change kept as an event; and the
 * AI feedback drafts an instructor may approve as a grade's feedback.
 */
final class GradeHandlers {
  private GradeHandlers() {}

  static List<Change> gradeSubmission(GradeSubmission c, State state) {
    Instant at = Checks.instant("issuedAt", c.issuedAt());
    String feedback = Checks.optionalText("feedback", c.feedback(), MAX_LONG_TEXT);
    Submission submission = state.submission("submissionId", c.submissionId());
    Assignment assignment = state.assignment("assignmentId", submission.assignmentId());
    User grader = state.instructorOf(c.actorId(), state.course("courseId", submission.courseId()));
    if (Double.isNaN(c.points()) || Double.isInfinite(c.points()) || c.points() < 0) {
      throw Checks.invalid("points", "must be a number of at least 0");
    }
    double hundredths = c.points() * 100;
    if (Math.abs(hundredths - Math.rint(hundredths)) > 1e-6) {
      throw Checks.invalid("points", "must have at most two decimals");
    }
    if (c.points() > assignment.maxPoints()) {
      throw new RejectedException(
          RejectionReason.POINTS_ABOVE_MAXIMUM,
          "points",
          "points must be at most " + assignment.maxPoints());
    }
    var current = state.grade(submission.id());
    long currentVersion = current.map(Grade::version).orElse(0L);
    if (c.expectedVersion() != currentVersion) {
      throw new RejectedException(
          RejectionReason.STALE_GRADE_VERSION,
          "expectedVersion",
          "the grade is at version " + currentVersion + ", not " + c.expectedVersion());
    }
    boolean released = current.map(Grade::released).orElse(false);
    boolean aiAssisted;
    if (c.draftId() != null) {
      FeedbackDraft draft = state.feedbackDraft("draftId", c.draftId());
      if (!draft.submissionId().equals(submission.id())) {
        throw new RejectedException(
            RejectionReason.DRAFT_OF_OTHER_SUBMISSION,
            "draftId",
            "draft " + draft.id() + " was written for another submission");
      }
      aiAssisted = true;
    } else {
      // a regrade that keeps the approved draft's feedback stays AI-assisted; new words do not
      aiAssisted =
          current.map(g -> g.aiAssisted() && Objects.equals(g.feedback(), feedback)).orElse(false);
    }
    Grade grade =
        new Grade(
            submission.id(),
            assignment.id(),
            submission.courseId(),
            submission.studentId(),
            c.points(),
            feedback,
            released,
            currentVersion + 1,
            grader.id(),
            at,
            current.map(Grade::releasedAt).orElse(null),
            aiAssisted);
    return List.of(
        new Change.Put(grade), new Change.Put(event(grade, GradeChange.GRADED, grader, at)));
  }

  static List<Change> releaseGrade(ReleaseGrade c, State state) {
    Instant at = Checks.instant("issuedAt", c.issuedAt());
    Submission submission = state.submission("submissionId", c.submissionId());
    User actor = state.instructorOf(c.actorId(), state.course("courseId", submission.courseId()));
    Grade grade =
        state
            .grade(submission.id())
            .orElseThrow(
                () ->
                    new RejectedException(
                        RejectionReason.UNKNOWN_GRADE,
                        "submissionId",
                        "submission " + submission.id() + " has no grade to release"));
    return release(grade, actor, at);
  }

  static List<Change> releaseAssignmentGrades(ReleaseAssignmentGrades c, State state) {
    Instant at = Checks.instant("issuedAt", c.issuedAt());
    Assignment assignment = state.assignment("assignmentId", c.assignmentId());
    User actor = state.instructorOf(c.actorId(), state.course("courseId", assignment.courseId()));
    var changes = new ArrayList<Change>();
    for (Grade grade : state.gradesOf(assignment.id())) {
      changes.addAll(release(grade, actor, at));
    }
    return changes;
  }

  private static List<Change> release(Grade grade, User actor, Instant at) {
    if (grade.released()) {
      return List.of();
    }
    Grade released = grade.release(at);
    return List.of(
        new Change.Put(released), new Change.Put(event(released, GradeChange.RELEASED, actor, at)));
  }

  private static GradeEvent event(Grade grade, GradeChange change, User actor, Instant at) {
    return new GradeEvent(
        GradeEvent.idOf(grade.id(), grade.version()),
        grade.id(),
        grade.courseId(),
        grade.version(),
        change,
        grade.points(),
        grade.feedback(),
        grade.released(),
        actor.id(),
        at,
        grade.aiAssisted());
  }

  static List<Change> recordFeedbackDraft(RecordFeedbackDraft c, State state) {
    Checks.id("draftId", c.draftId());
    Checks.line("model", c.model(), 200);
    Checks.sha256("promptSha256", c.promptSha256());
    Checks.text("text", c.text(), MAX_LONG_TEXT);
    Checks.instant("issuedAt", c.issuedAt());
    Submission submission = state.submission("submissionId", c.submissionId());
    Course course = state.course("courseId", submission.courseId());
    User instructor = state.instructorOf(c.actorId(), course);
    state.aiEnabled(course);
    state.requireNew(FeedbackDraft.class, "draftId", c.draftId());
    return List.of(
        new Change.Put(
            new FeedbackDraft(
                c.draftId(),
                submission.id(),
                submission.assignmentId(),
                course.id(),
                submission.studentId(),
                c.model(),
                c.promptSha256(),
                c.text(),
                instructor.id(),
                c.issuedAt())));
  }
}

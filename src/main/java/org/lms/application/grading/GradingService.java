package org.lms.application.grading;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.UseCases;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectionReason;

/** Grades as instructors give them and students see them. */
public final class GradingService {
  private final UseCases useCases;

  public GradingService(UseCases useCases) {
    this.useCases = useCases;
  }

  /**
   * Grades a submission if its grade is still at {@code expectedVersion} (0 when ungraded); a stale
   * version is refused with {@code STALE_GRADE_VERSION}, never overwritten.
   */
  public Grade grade(
      Actor actor, String submissionId, double points, String feedback, long expectedVersion) {
    return grade(actor, submissionId, points, feedback, expectedVersion, null);
  }

  /**
   * Grades a submission with feedback that began as AI draft {@code draftId} (edited or not), which
   * marks the grade AI-assisted for the student; {@code draftId} null is {@link #grade(Actor,
   * String, double, String, long)}.
   */
  public Grade grade(
      Actor actor,
      String submissionId,
      double points,
      String feedback,
      long expectedVersion,
      String draftId) {
    useCases.propose(
        new GradeSubmission(
            submissionId,
            points,
            feedback,
            expectedVersion,
            actor.userId(),
            useCases.now(),
            draftId));
    return useCases.require(Grade.class, submissionId, RejectionReason.UNKNOWN_GRADE);
  }

  public void release(Actor actor, String submissionId) {
    useCases.propose(new ReleaseGrade(submissionId, actor.userId(), useCases.now()));
  }

  public void releaseAll(Actor actor, String assignmentId) {
    useCases.propose(new ReleaseAssignmentGrades(assignmentId, actor.userId(), useCases.now()));
  }

  /**
   * Every grade in a course, drafts included, for its instructors and administrators (who may read
   * every grade's history already, and reach it from here).
   */
  public List<Grade> gradebook(Actor actor, String courseId) {
    Course course = course(courseId);
    if (!actor.is(Role.ADMIN)) {
      Access.requireInstructor(actor, course);
    }
    return useCases.store().find(Grade.class, Criterion.eq("courseId", courseId)).stream()
        .sorted(Comparator.comparing(Grade::assignmentId).thenComparing(Grade::studentId))
        .toList();
  }

  /** A student's released grades; drafts stay hidden until released. */
  public List<Grade> myGrades(Actor actor) {
    return useCases
        .store()
        .find(
            Grade.class, Criterion.eq("studentId", actor.userId()), Criterion.eq("released", true))
        .stream()
        .sorted(Comparator.comparing(Grade::gradedAt).reversed())
        .toList();
  }

  /** The grade of one submission as its viewer may see it: a student only once released. */
  public Optional<Grade> gradeOf(Actor actor, String submissionId) {
    Submission s =
        useCases.require(Submission.class, submissionId, RejectionReason.UNKNOWN_SUBMISSION);
    Course course = course(s.courseId());
    Access.requireOwnerOrInstructor(actor, s, course);
    Optional<Grade> grade = useCases.store().get(Grade.class, s.id());
    return Access.teaches(actor, course) ? grade : grade.filter(Grade::released);
  }

  /** Every change of a grade (who, what, when), for the course's instructors and administrators. */
  public List<GradeEvent> history(Actor actor, String submissionId) {
    Submission s =
        useCases.require(Submission.class, submissionId, RejectionReason.UNKNOWN_SUBMISSION);
    if (!actor.is(Role.ADMIN)) {
      Access.requireInstructor(actor, course(s.courseId()));
    }
    return useCases
        .store()
        .find(GradeEvent.class, Criterion.eq("submissionId", submissionId))
        .stream()
        .sorted(Comparator.comparingLong(GradeEvent::version))
        .toList();
  }

  private Course course(String id) {
    return useCases.require(Course.class, id, RejectionReason.UNKNOWN_COURSE);
  }
}

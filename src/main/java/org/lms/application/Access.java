package org.lms.application;

import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.model.Submission;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

/**
 * Who may read what. Writes are also checked by the state machine at their log position; reads are
 * checked only here, against this node's store.
 */
public final class Access {
  private Access() {}

  public static void requireAdmin(Actor actor) {
    if (!actor.is(Role.ADMIN)) {
      throw new RejectedException(
          RejectionReason.ACTOR_NOT_PERMITTED, "", "only an administrator may do this");
    }
  }

  /** Instructors of the course, its students and administrators see a course and its contents. */
  public static void requireMember(Actor actor, Course course) {
    if (!actor.is(Role.ADMIN) && !teaches(actor, course) && !course.isAttendedBy(actor.userId())) {
      throw new RejectedException(
          RejectionReason.NOT_ENROLLED,
          "courseId",
          "you are not a member of course " + course.code());
    }
  }

  public static void requireInstructor(Actor actor, Course course) {
    if (!teaches(actor, course)) {
      throw new RejectedException(
          RejectionReason.NOT_INSTRUCTOR_OF_COURSE,
          "courseId",
          "only an instructor of course " + course.code() + " may do this");
    }
  }

  /**
   * A submission is seen by its student and the instructors of its course. Anyone else hears the
   * same as for an id that does not exist: ids reveal nothing.
   */
  public static void requireOwnerOrInstructor(Actor actor, Submission submission, Course course) {
    if (!submission.studentId().equals(actor.userId()) && !teaches(actor, course)) {
      throw new RejectedException(
          RejectionReason.UNKNOWN_SUBMISSION, "submissionId", "no submission " + submission.id());
    }
  }

  public static boolean teaches(Actor actor, Course course) {
    return course.isTaughtBy(actor.userId());
  }
}

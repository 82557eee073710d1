package org.lms.domain.state;

import static org.lms.domain.state.Criterion.eq;

import java.util.List;
import java.util.Optional;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Role;
import org.lms.domain.model.Session;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;

/**
 * Typed reads over the store for handlers, and the "require" reads that turn a missing record or a
 * missing right into a named rejection.
 */
final class State {
  private final StateStore store;

  State(StateStore store) {
    this.store = store;
  }

  <T extends org.lms.domain.model.Entity> boolean exists(Class<T> type, String id) {
    return store.get(type, id).isPresent();
  }

  <T extends org.lms.domain.model.Entity> void requireNew(Class<T> type, String field, String id) {
    if (exists(type, id)) {
      throw new RejectedException(
          RejectionReason.DUPLICATE_ID, field, field + " " + id + " is taken");
    }
  }

  long userCount() {
    return store.count(User.class);
  }

  Optional<User> userByUsername(String username) {
    return store.find(User.class, eq("username", username)).stream().findFirst();
  }

  Optional<Course> courseByCode(String code) {
    return store.find(Course.class, eq("code", code)).stream().findFirst();
  }

  List<Session> sessionsOf(String userId) {
    return store.find(Session.class, eq("userId", userId));
  }

  List<Session> sessionsExpiredAt(java.time.Instant now) {
    return store.find(Session.class, Criterion.atMost("expiresAt", now));
  }

  long submissionCount(String assignmentId, String studentId) {
    return store.count(
        Submission.class, eq("assignmentId", assignmentId), eq("studentId", studentId));
  }

  List<Grade> gradesOf(String assignmentId) {
    return store.find(Grade.class, eq("assignmentId", assignmentId));
  }

  Optional<Grade> grade(String submissionId) {
    return store.get(Grade.class, submissionId);
  }

  List<Answer> answersOf(String questionId) {
    return store.find(Answer.class, eq("questionId", questionId));
  }

  User user(String field, String id) {
    return store
        .get(User.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_USER, field, "user", id));
  }

  Session session(String field, String id) {
    return store
        .get(Session.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_SESSION, field, "session", "(hidden)"));
  }

  Course course(String field, String id) {
    return store
        .get(Course.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_COURSE, field, "course", id));
  }

  Material material(String field, String id) {
    return store
        .get(Material.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_MATERIAL, field, "material", id));
  }

  Assignment assignment(String field, String id) {
    return store
        .get(Assignment.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_ASSIGNMENT, field, "assignment", id));
  }

  Submission submission(String field, String id) {
    return store
        .get(Submission.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_SUBMISSION, field, "submission", id));
  }

  Question question(String field, String id) {
    return store
        .get(Question.class, id)
        .orElseThrow(() -> notFound(RejectionReason.UNKNOWN_QUESTION, field, "question", id));
  }

  /** The acting user, who must exist and be enabled. */
  User actor(String actorId) {
    if (actorId == null) {
      throw new RejectedException(RejectionReason.ACTOR_NOT_PERMITTED, "actorId", "no acting user");
    }
    User actor =
        store
            .get(User.class, actorId)
            .orElseThrow(
                () ->
                    new RejectedException(
                        RejectionReason.ACTOR_NOT_PERMITTED,
                        "actorId",
                        "the acting user " + actorId + " does not exist"));
    if (actor.disabled()) {
      throw new RejectedException(
          RejectionReason.ACTOR_DISABLED, "actorId", "the acting user's account is disabled");
    }
    return actor;
  }

  User admin(String actorId) {
    User actor = actor(actorId);
    if (actor.role() != Role.ADMIN) {
      throw new RejectedException(
          RejectionReason.ACTOR_NOT_PERMITTED, "actorId", "only an administrator may do this");
    }
    return actor;
  }

  /** The acting user, who must be an instructor of {@code course}. */
  User instructorOf(String actorId, Course course) {
    User actor = actor(actorId);
    if (!course.isTaughtBy(actor.id())) {
      throw new RejectedException(
          RejectionReason.NOT_INSTRUCTOR_OF_COURSE,
          "actorId",
          "only an instructor of course " + course.code() + " may do this");
    }
    return actor;
  }

  /** The acting user, who must be an instructor of {@code course} or an administrator. */
  User instructorOrAdmin(String actorId, Course course) {
    User actor = actor(actorId);
    if (actor.role() != Role.ADMIN && !course.isTaughtBy(actor.id())) {
      throw new RejectedException(
          RejectionReason.NOT_INSTRUCTOR_OF_COURSE,
          "actorId",
          "only an instructor of course " + course.code() + " or an administrator may do this");
    }
    return actor;
  }

  /** The acting user, who must be a student enrolled in {@code course}. */
  User studentIn(String actorId, Course course) {
    User actor = actor(actorId);
    if (actor.role() != Role.STUDENT || !course.isAttendedBy(actor.id())) {
      throw new RejectedException(
          RejectionReason.NOT_ENROLLED,
          "actorId",
          "only a student enrolled in course " + course.code() + " may do this");
    }
    return actor;
  }

  private static RejectedException notFound(
      RejectionReason reason, String field, String what, String id) {
    return new RejectedException(reason, field, "no " + what + " " + id);
  }
}

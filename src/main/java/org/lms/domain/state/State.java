package org.lms.domain.state;

import static org.lms.domain.state.Criterion.eq;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Entity;
import org.lms.domain.model.FeedbackDraft;
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

  <T extends Entity> boolean exists(Class<T> type, String id) {
    return store.get(type, id).isPresent();
  }

  <T extends Entity> void requireNew(Class<T> type, String field, String id) {
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

  List<Session> sessionsExpiredAt(Instant now) {
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

  User user(String field, String id) {
    return require(User.class, RejectionReason.UNKNOWN_USER, field, id);
  }

  Session session(String field, String id) {
    // a session's id is the hash of a secret token: never echoed back
    return store
        .get(Session.class, id)
        .orElseThrow(
            () ->
                new RejectedException(
                    RejectionReason.UNKNOWN_SESSION, field, "no session (hidden)"));
  }

  Course course(String field, String id) {
    return require(Course.class, RejectionReason.UNKNOWN_COURSE, field, id);
  }

  Material material(String field, String id) {
    return require(Material.class, RejectionReason.UNKNOWN_MATERIAL, field, id);
  }

  Assignment assignment(String field, String id) {
    return require(Assignment.class, RejectionReason.UNKNOWN_ASSIGNMENT, field, id);
  }

  Submission submission(String field, String id) {
    return require(Submission.class, RejectionReason.UNKNOWN_SUBMISSION, field, id);
  }

  Question question(String field, String id) {
    return require(Question.class, RejectionReason.UNKNOWN_QUESTION, field, id);
  }

  Answer answer(String field, String id) {
    return require(Answer.class, RejectionReason.UNKNOWN_ANSWER, field, id);
  }

  FeedbackDraft feedbackDraft(String field, String id) {
    return require(FeedbackDraft.class, RejectionReason.UNKNOWN_DRAFT, field, id);
  }

  List<Answer> answersTo(String questionId) {
    return store.find(Answer.class, eq("questionId", questionId));
  }

  /** The course, which must have the AI assistant switched on. */
  Course aiEnabled(Course course) {
    if (!course.aiEnabled()) {
      throw new RejectedException(
          RejectionReason.AI_DISABLED,
          "courseId",
          "the AI assistant is switched off for course " + course.code());
    }
    return course;
  }

  /** The record of {@code type} with {@code id}, or a rejection naming the field and the id. */
  private <T extends Entity> T require(
      Class<T> type, RejectionReason ifMissing, String field, String id) {
    return store
        .get(type, id)
        .orElseThrow(
            () ->
                new RejectedException(
                    ifMissing, field, "no " + type.getSimpleName().toLowerCase() + " " + id));
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
}

package org.lms.interfaces.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.lms.application.Actor;
import org.lms.domain.state.Checks;
import org.lms.interfaces.grpc.v1.Addressee;
import org.lms.interfaces.grpc.v1.Answer;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.AuthorKind;
import org.lms.interfaces.grpc.v1.Citation;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.FeedbackDraft;
import org.lms.interfaces.grpc.v1.Grade;
import org.lms.interfaces.grpc.v1.GradeChange;
import org.lms.interfaces.grpc.v1.GradeEvent;
import org.lms.interfaces.grpc.v1.Material;
import org.lms.interfaces.grpc.v1.Question;
import org.lms.interfaces.grpc.v1.QuestionStatus;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.Submission;
import org.lms.interfaces.grpc.v1.User;
import org.lms.interfaces.grpc.v1.WhoAmIResponse;

/**
 * Translates between the LMS's records and the public API's messages, in both directions. Parsing
 * refuses what cannot be translated with INVALID_ARGUMENT naming the request field; the rules about
 * content stay in the domain.
 */
final class ProtoMapper {
  /** The range google.protobuf.Timestamp allows: 0001-01-01 to 9999-12-31. */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  private ProtoMapper() {}

  // ---- requests

  /** A required id: present and well formed, else INVALID_ARGUMENT naming {@code field}. */
  static String id(String field, String value) {
    if (value.isEmpty()) {
      throw Checks.invalid(field, "is required");
    }
    return Checks.id(field, value);
  }

  /** An optional id: empty means none (null). */
  static String optionalId(String field, String value) {
    return value.isEmpty() ? null : Checks.id(field, value);
  }

  /** An instant; {@code present} false (an unset message field) means none (null). */
  static Instant instant(String field, boolean present, Timestamp t) {
    if (!present) {
      return null;
    }
    if (t.getSeconds() < MIN_SECONDS
        || t.getSeconds() > MAX_SECONDS
        || t.getNanos() < 0
        || t.getNanos() > 999_999_999) {
      throw Checks.invalid(field, "must be a valid timestamp between years 1 and 9999");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static org.lms.domain.model.Role role(String field, Role role) {
    return switch (role) {
      case ROLE_STUDENT -> org.lms.domain.model.Role.STUDENT;
      case ROLE_INSTRUCTOR -> org.lms.domain.model.Role.INSTRUCTOR;
      case ROLE_ADMIN -> org.lms.domain.model.Role.ADMIN;
      case ROLE_UNSPECIFIED, UNRECOGNIZED ->
          throw Checks.invalid(field, "must be ROLE_STUDENT, ROLE_INSTRUCTOR or ROLE_ADMIN");
    };
  }

  static org.lms.domain.model.Question.Addressee addressee(String field, Addressee addressee) {
    return switch (addressee) {
      case ADDRESSEE_INSTRUCTOR -> org.lms.domain.model.Question.Addressee.INSTRUCTOR;
      case ADDRESSEE_AI -> org.lms.domain.model.Question.Addressee.AI;
      case ADDRESSEE_UNSPECIFIED, UNRECOGNIZED ->
          throw Checks.invalid(field, "must be ADDRESSEE_INSTRUCTOR or ADDRESSEE_AI");
    };
  }

  // ---- responses

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Role role(org.lms.domain.model.Role role) {
    return switch (role) {
      case STUDENT -> Role.ROLE_STUDENT;
      case INSTRUCTOR -> Role.ROLE_INSTRUCTOR;
      case ADMIN -> Role.ROLE_ADMIN;
    };
  }

  static WhoAmIResponse whoAmI(Actor actor) {
    return WhoAmIResponse.newBuilder()
        .setUserId(actor.userId())
        .setUsername(actor.username())
        .setRole(role(actor.role()))
        .build();
  }

  static User user(org.lms.domain.model.User u) {
    User.Builder b =
        User.newBuilder()
            .setId(u.id())
            .setUsername(u.username())
            .setDisplayName(nullToEmpty(u.displayName()))
            .setRole(role(u.role()))
            .setDisabled(u.disabled());
    whenKnown(u.createdAt(), b::setCreatedAt);
    return b.build();
  }

  static Course course(org.lms.domain.model.Course c) {
    Course.Builder b =
        Course.newBuilder()
            .setId(c.id())
            .setCode(c.code())
            .setTitle(nullToEmpty(c.title()))
            .addAllInstructorIds(c.instructorIds())
            .setStudentCount(c.studentIds().size())
            .setAiEnabled(c.aiEnabled());
    whenKnown(c.createdAt(), b::setCreatedAt);
    return b.build();
  }

  static Material material(org.lms.domain.model.Material m) {
    Material.Builder b =
        Material.newBuilder()
            .setId(m.id())
            .setCourseId(m.courseId())
            .setTitle(nullToEmpty(m.title()))
            .setFileName(nullToEmpty(m.fileName()))
            .setSizeBytes(m.size())
            .setMediaType(nullToEmpty(m.mediaType()))
            .setSha256(m.sha256())
            .setUploadedBy(nullToEmpty(m.uploadedBy()));
    whenKnown(m.uploadedAt(), b::setUploadedAt);
    return b.build();
  }

  static Assignment assignment(org.lms.domain.model.Assignment a) {
    Assignment.Builder b =
        Assignment.newBuilder()
            .setId(a.id())
            .setCourseId(a.courseId())
            .setTitle(nullToEmpty(a.title()))
            .setDescription(nullToEmpty(a.description()))
            .setMaxPoints(a.maxPoints())
            .setCreatedBy(nullToEmpty(a.createdBy()));
    whenKnown(a.opensAt(), b::setOpensAt);
    whenKnown(a.dueAt(), b::setDueAt);
    whenKnown(a.cutoffAt(), b::setCutoffAt);
    whenKnown(a.createdAt(), b::setCreatedAt);
    whenKnown(a.updatedAt(), b::setUpdatedAt);
    return b.build();
  }

  static Submission submission(org.lms.domain.model.Submission s) {
    Submission.Builder b =
        Submission.newBuilder()
            .setId(s.id())
            .setAssignmentId(s.assignmentId())
            .setCourseId(s.courseId())
            .setStudentId(s.studentId())
            .setVersion(s.version())
            .setFileName(nullToEmpty(s.fileName()))
            .setSizeBytes(s.size())
            .setMediaType(nullToEmpty(s.mediaType()))
            .setSha256(s.sha256())
            .setLate(s.late());
    whenKnown(s.submittedAt(), b::setSubmittedAt);
    return b.build();
  }

  static Grade grade(org.lms.domain.model.Grade g) {
    Grade.Builder b =
        Grade.newBuilder()
            .setSubmissionId(g.submissionId())
            .setAssignmentId(g.assignmentId())
            .setCourseId(g.courseId())
            .setStudentId(g.studentId())
            .setPoints(g.points())
            .setFeedback(nullToEmpty(g.feedback()))
            .setReleased(g.released())
            .setVersion(g.version())
            .setGradedBy(nullToEmpty(g.gradedBy()))
            .setAiAssisted(g.aiAssisted());
    whenKnown(g.gradedAt(), b::setGradedAt);
    whenKnown(g.releasedAt(), b::setReleasedAt);
    return b.build();
  }

  static GradeEvent gradeEvent(org.lms.domain.model.GradeEvent e) {
    GradeEvent.Builder b =
        GradeEvent.newBuilder()
            .setSubmissionId(e.submissionId())
            .setVersion(e.version())
            .setChange(
                switch (e.change()) {
                  case GRADED -> GradeChange.GRADE_CHANGE_GRADED;
                  case RELEASED -> GradeChange.GRADE_CHANGE_RELEASED;
                })
            .setPoints(e.points())
            .setFeedback(nullToEmpty(e.feedback()))
            .setReleased(e.released())
            .setActorId(nullToEmpty(e.actorId()))
            .setAiAssisted(e.aiAssisted());
    whenKnown(e.at(), b::setAt);
    return b.build();
  }

  static Question question(org.lms.domain.model.Question q) {
    Question.Builder b =
        Question.newBuilder()
            .setId(q.id())
            .setCourseId(q.courseId())
            .setAskedBy(q.askedBy())
            .setAddressee(
                switch (q.addressee()) {
                  case INSTRUCTOR -> Addressee.ADDRESSEE_INSTRUCTOR;
                  case AI -> Addressee.ADDRESSEE_AI;
                })
            .setText(nullToEmpty(q.text()))
            .setStatus(
                switch (q.status()) {
                  case OPEN -> QuestionStatus.QUESTION_STATUS_OPEN;
                  case ANSWERED -> QuestionStatus.QUESTION_STATUS_ANSWERED;
                });
    whenKnown(q.askedAt(), b::setAskedAt);
    whenKnown(q.answeredAt(), b::setAnsweredAt);
    whenKnown(q.referredAt(), b::setReferredAt);
    b.setShared(q.shared());
    return b.build();
  }

  static Answer answer(
      org.lms.domain.model.Answer a, List<org.lms.domain.model.Citation> citations) {
    Answer.Builder b = answer(a).toBuilder();
    for (var c : citations) {
      b.addCitations(
          Citation.newBuilder()
              .setNumber(c.ordinal())
              .setMaterialId(c.materialId())
              .setMaterialTitle(nullToEmpty(c.materialTitle()))
              .setPage(c.page())
              .setSection(nullToEmpty(c.section())));
    }
    return b.build();
  }

  static FeedbackDraft feedbackDraft(org.lms.domain.model.FeedbackDraft d) {
    FeedbackDraft.Builder b =
        FeedbackDraft.newBuilder()
            .setId(d.id())
            .setSubmissionId(d.submissionId())
            .setModel(nullToEmpty(d.model()))
            .setPromptSha256(nullToEmpty(d.promptSha256()))
            .setText(nullToEmpty(d.text()))
            .setRequestedBy(nullToEmpty(d.requestedBy()));
    whenKnown(d.createdAt(), b::setCreatedAt);
    return b.build();
  }

  static Answer answer(org.lms.domain.model.Answer a) {
    Answer.Builder b =
        Answer.newBuilder()
            .setId(a.id())
            .setQuestionId(a.questionId())
            .setCourseId(a.courseId())
            .setAuthorKind(
                switch (a.authorKind()) {
                  case INSTRUCTOR -> AuthorKind.AUTHOR_KIND_INSTRUCTOR;
                  case MODEL -> AuthorKind.AUTHOR_KIND_MODEL;
                })
            .setAuthorId(nullToEmpty(a.authorId()))
            .setModel(nullToEmpty(a.model()))
            .setPromptSha256(nullToEmpty(a.promptSha256()))
            .setText(nullToEmpty(a.text()))
            .setEndorsedBy(nullToEmpty(a.endorsedBy()));
    whenKnown(a.answeredAt(), b::setAnsweredAt);
    whenKnown(a.endorsedAt(), b::setEndorsedAt);
    return b.build();
  }

  /** Sets an optional timestamp field only for a known instant: unset means unknown. */
  private static void whenKnown(Instant instant, Consumer<Timestamp> field) {
    if (instant != null) {
      field.accept(timestamp(instant));
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

package org.lms.infrastructure.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.CloseSession;
import org.lms.domain.command.Command;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EndorseAnswer;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.ExpireSessions;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.OpenSession;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.ReferQuestion;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.command.SetPassword;
import org.lms.domain.command.SetUserDisabled;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Question;
import org.lms.domain.model.Role;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;
import org.lms.domain.state.RejectionReason;
import org.lms.infrastructure.raft.log.v1.Addressee;
import org.lms.infrastructure.raft.log.v1.AuthorKind;
import org.lms.infrastructure.raft.log.v1.CommandOutcome;
import org.lms.infrastructure.raft.log.v1.LogEntry;

/**
 * Encodes commands into Raft log entries ({@code lms/log/v1/log.proto}) and back, and the state
 * machine's results into replies. Decoding is strict: an entry this node cannot fully understand is
 * refused with an {@link IllegalArgumentException}, never applied in part.
 */
public final class LogCodec {

  /** The schema version this node writes, and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  private LogCodec() {}

  /**
   * The log entry of a command. Instants lose any sub-millisecond part (accepting nodes truncate to
   * milliseconds before they build a command, so nothing is lost in practice).
   *
   * @throws IllegalArgumentException if a field the schema cannot hold is null (every string but
   *     the nullable ones, every instant, every enum) or an instant is beyond the epoch-millisecond
   *     range; such a command must never reach the log, since no node could decode it
   */
  public static byte[] encode(Command command) {
    Objects.requireNonNull(command, "command");
    var entry = LogEntry.newBuilder().setSchemaVersion(SCHEMA_VERSION);
    var f = new Fields(command);
    // An if-chain (Java 17 has no pattern switch); a type missing here fails LogCodecTest, which
    // round-trips a sample of every permitted subtype of Command.
    if (command instanceof BootstrapAdmin c) {
      entry
          .getBootstrapAdminBuilder()
          .setUserId(f.text("userId", c.userId()))
          .setUsername(f.text("username", c.username()))
          .setPasswordHash(f.text("passwordHash", c.passwordHash()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof RegisterUser c) {
      entry
          .getRegisterUserBuilder()
          .setUserId(f.text("userId", c.userId()))
          .setUsername(f.text("username", c.username()))
          .setDisplayName(f.text("displayName", c.displayName()))
          .setRole(role(f.present("role", c.role())))
          .setPasswordHash(f.text("passwordHash", c.passwordHash()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof SetUserDisabled c) {
      entry
          .getSetUserDisabledBuilder()
          .setUserId(f.text("userId", c.userId()))
          .setDisabled(c.disabled())
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof SetPassword c) {
      var m =
          entry
              .getSetPasswordBuilder()
              .setUserId(f.text("userId", c.userId()))
              .setPasswordHash(f.text("passwordHash", c.passwordHash()))
              .setActorId(f.text("actorId", c.actorId()))
              .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
      ifPresent(c.keepSessionId(), m::setKeepSessionId);
    } else if (command instanceof OpenSession c) {
      entry
          .getOpenSessionBuilder()
          .setSessionId(f.text("sessionId", c.sessionId()))
          .setUserId(f.text("userId", c.userId()))
          .setExpiresAtEpochMillis(f.millis("expiresAt", c.expiresAt()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof CloseSession c) {
      entry
          .getCloseSessionBuilder()
          .setSessionId(f.text("sessionId", c.sessionId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof ExpireSessions c) {
      entry.getExpireSessionsBuilder().setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof CreateCourse c) {
      entry
          .getCreateCourseBuilder()
          .setCourseId(f.text("courseId", c.courseId()))
          .setCode(f.text("code", c.code()))
          .setTitle(f.text("title", c.title()))
          .addAllInstructorIds(c.instructorIds())
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof AssignInstructor c) {
      entry
          .getAssignInstructorBuilder()
          .setCourseId(f.text("courseId", c.courseId()))
          .setInstructorId(f.text("instructorId", c.instructorId()))
          .setAssigned(c.assigned())
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof EnrolStudent c) {
      entry
          .getEnrolStudentBuilder()
          .setCourseId(f.text("courseId", c.courseId()))
          .setStudentId(f.text("studentId", c.studentId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof UnenrolStudent c) {
      entry
          .getUnenrolStudentBuilder()
          .setCourseId(f.text("courseId", c.courseId()))
          .setStudentId(f.text("studentId", c.studentId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof AddMaterial c) {
      entry
          .getAddMaterialBuilder()
          .setMaterialId(f.text("materialId", c.materialId()))
          .setCourseId(f.text("courseId", c.courseId()))
          .setTitle(f.text("title", c.title()))
          .setFileName(f.text("fileName", c.fileName()))
          .setSize(c.size())
          .setMediaType(f.text("mediaType", c.mediaType()))
          .setSha256(f.text("sha256", c.sha256()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof RemoveMaterial c) {
      entry
          .getRemoveMaterialBuilder()
          .setMaterialId(f.text("materialId", c.materialId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof CreateAssignment c) {
      var m =
          entry
              .getCreateAssignmentBuilder()
              .setAssignmentId(f.text("assignmentId", c.assignmentId()))
              .setCourseId(f.text("courseId", c.courseId()))
              .setTitle(f.text("title", c.title()))
              .setOpensAtEpochMillis(f.millis("opensAt", c.opensAt()))
              .setDueAtEpochMillis(f.millis("dueAt", c.dueAt()))
              .setCutoffAtEpochMillis(f.millis("cutoffAt", c.cutoffAt()))
              .setMaxPoints(c.maxPoints())
              .setActorId(f.text("actorId", c.actorId()))
              .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
      ifPresent(c.description(), m::setDescription);
    } else if (command instanceof UpdateAssignment c) {
      var m =
          entry
              .getUpdateAssignmentBuilder()
              .setAssignmentId(f.text("assignmentId", c.assignmentId()))
              .setTitle(f.text("title", c.title()))
              .setOpensAtEpochMillis(f.millis("opensAt", c.opensAt()))
              .setDueAtEpochMillis(f.millis("dueAt", c.dueAt()))
              .setCutoffAtEpochMillis(f.millis("cutoffAt", c.cutoffAt()))
              .setMaxPoints(c.maxPoints())
              .setActorId(f.text("actorId", c.actorId()))
              .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
      ifPresent(c.description(), m::setDescription);
    } else if (command instanceof SubmitAssignment c) {
      entry
          .getSubmitAssignmentBuilder()
          .setSubmissionId(f.text("submissionId", c.submissionId()))
          .setAssignmentId(f.text("assignmentId", c.assignmentId()))
          .setFileName(f.text("fileName", c.fileName()))
          .setSize(c.size())
          .setMediaType(f.text("mediaType", c.mediaType()))
          .setSha256(f.text("sha256", c.sha256()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof GradeSubmission c) {
      var m =
          entry
              .getGradeSubmissionBuilder()
              .setSubmissionId(f.text("submissionId", c.submissionId()))
              .setPoints(c.points())
              .setExpectedVersion(c.expectedVersion())
              .setActorId(f.text("actorId", c.actorId()))
              .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
      ifPresent(c.feedback(), m::setFeedback);
      ifPresent(c.draftId(), m::setDraftId);
    } else if (command instanceof ReleaseGrade c) {
      entry
          .getReleaseGradeBuilder()
          .setSubmissionId(f.text("submissionId", c.submissionId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof ReleaseAssignmentGrades c) {
      entry
          .getReleaseAssignmentGradesBuilder()
          .setAssignmentId(f.text("assignmentId", c.assignmentId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof AskQuestion c) {
      entry
          .getAskQuestionBuilder()
          .setQuestionId(f.text("questionId", c.questionId()))
          .setCourseId(f.text("courseId", c.courseId()))
          .setAddressee(addressee(f.present("addressee", c.addressee())))
          .setText(f.text("text", c.text()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof AnswerQuestion c) {
      var m =
          entry
              .getAnswerQuestionBuilder()
              .setAnswerId(f.text("answerId", c.answerId()))
              .setQuestionId(f.text("questionId", c.questionId()))
              .setAuthorKind(authorKind(f.present("authorKind", c.authorKind())))
              .setText(f.text("text", c.text()))
              .setActorId(f.text("actorId", c.actorId()))
              .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
      ifPresent(c.model(), m::setModel);
      ifPresent(c.promptSha256(), m::setPromptSha256);
      for (AnswerQuestion.Source source : c.sources()) {
        f.present("sources", source);
        var s =
            m.addSourcesBuilder()
                .setNumber(source.number())
                .setMaterialId(f.text("sources.materialId", source.materialId()))
                .setMaterialTitle(f.text("sources.materialTitle", source.materialTitle()))
                .setPage(source.page());
        ifPresent(source.section(), s::setSection);
      }
    } else if (command instanceof ReferQuestion c) {
      entry
          .getReferQuestionBuilder()
          .setQuestionId(f.text("questionId", c.questionId()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof EndorseAnswer c) {
      entry
          .getEndorseAnswerBuilder()
          .setAnswerId(f.text("answerId", c.answerId()))
          .setEndorsed(c.endorsed())
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof SetCourseAi c) {
      entry
          .getSetCourseAiBuilder()
          .setCourseId(f.text("courseId", c.courseId()))
          .setEnabled(c.enabled())
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else if (command instanceof RecordFeedbackDraft c) {
      entry
          .getRecordFeedbackDraftBuilder()
          .setDraftId(f.text("draftId", c.draftId()))
          .setSubmissionId(f.text("submissionId", c.submissionId()))
          .setModel(f.text("model", c.model()))
          .setPromptSha256(f.text("promptSha256", c.promptSha256()))
          .setText(f.text("text", c.text()))
          .setActorId(f.text("actorId", c.actorId()))
          .setIssuedAtEpochMillis(f.millis("issuedAt", c.issuedAt()));
    } else {
      throw new IllegalArgumentException(
          "no log encoding for " + command.getClass().getName() + ": add it to log.proto");
    }
    return entry.build().toByteArray();
  }

  /**
   * The command of a log entry.
   *
   * @throws IllegalArgumentException if the bytes are not a log entry, are empty, were written in
   *     an unknown (newer) schema version, hold no command or one this node does not know, or carry
   *     fields this node does not know
   */
  public static Command decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty log entry");
    }
    LogEntry entry;
    try {
      entry = LogEntry.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "not a log entry (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    var version = Integer.toUnsignedLong(entry.getSchemaVersion());
    if (version == 0) {
      throw new IllegalArgumentException("log entry has no schema version");
    }
    if (version > SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "log entry has schema version "
              + version
              + ", this node reads up to "
              + SCHEMA_VERSION
              + ": upgrade this node");
    }
    if (entry.getCommandCase() == LogEntry.CommandCase.COMMAND_NOT_SET) {
      throw new IllegalArgumentException(
          entry.getUnknownFields().asMap().isEmpty()
              ? "log entry holds no command"
              : "log entry holds a command unknown to this node (field numbers "
                  + entry.getUnknownFields().asMap().keySet()
                  + "): upgrade this node");
    }
    requireKnownFields(entry, "log entry");
    return switch (entry.getCommandCase()) {
      case BOOTSTRAP_ADMIN -> {
        var m = known(entry.getBootstrapAdmin());
        yield new BootstrapAdmin(
            m.getUserId(),
            m.getUsername(),
            m.getPasswordHash(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case REGISTER_USER -> {
        var m = known(entry.getRegisterUser());
        yield new RegisterUser(
            m.getUserId(),
            m.getUsername(),
            m.getDisplayName(),
            role(m.getRoleValue()),
            m.getPasswordHash(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case SET_USER_DISABLED -> {
        var m = known(entry.getSetUserDisabled());
        yield new SetUserDisabled(
            m.getUserId(), m.getDisabled(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case SET_PASSWORD -> {
        var m = known(entry.getSetPassword());
        yield new SetPassword(
            m.getUserId(),
            m.getPasswordHash(),
            m.hasKeepSessionId() ? m.getKeepSessionId() : null,
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case OPEN_SESSION -> {
        var m = known(entry.getOpenSession());
        yield new OpenSession(
            m.getSessionId(),
            m.getUserId(),
            instant(m.getExpiresAtEpochMillis()),
            instant(m.getIssuedAtEpochMillis()));
      }
      case CLOSE_SESSION -> {
        var m = known(entry.getCloseSession());
        yield new CloseSession(
            m.getSessionId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case EXPIRE_SESSIONS -> {
        var m = known(entry.getExpireSessions());
        yield new ExpireSessions(instant(m.getIssuedAtEpochMillis()));
      }
      case CREATE_COURSE -> {
        var m = known(entry.getCreateCourse());
        yield new CreateCourse(
            m.getCourseId(),
            m.getCode(),
            m.getTitle(),
            m.getInstructorIdsList(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case ASSIGN_INSTRUCTOR -> {
        var m = known(entry.getAssignInstructor());
        yield new AssignInstructor(
            m.getCourseId(),
            m.getInstructorId(),
            m.getAssigned(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case ENROL_STUDENT -> {
        var m = known(entry.getEnrolStudent());
        yield new EnrolStudent(
            m.getCourseId(), m.getStudentId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case UNENROL_STUDENT -> {
        var m = known(entry.getUnenrolStudent());
        yield new UnenrolStudent(
            m.getCourseId(), m.getStudentId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case ADD_MATERIAL -> {
        var m = known(entry.getAddMaterial());
        yield new AddMaterial(
            m.getMaterialId(),
            m.getCourseId(),
            m.getTitle(),
            m.getFileName(),
            m.getSize(),
            m.getMediaType(),
            m.getSha256(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case REMOVE_MATERIAL -> {
        var m = known(entry.getRemoveMaterial());
        yield new RemoveMaterial(
            m.getMaterialId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case CREATE_ASSIGNMENT -> {
        var m = known(entry.getCreateAssignment());
        yield new CreateAssignment(
            m.getAssignmentId(),
            m.getCourseId(),
            m.getTitle(),
            m.hasDescription() ? m.getDescription() : null,
            instant(m.getOpensAtEpochMillis()),
            instant(m.getDueAtEpochMillis()),
            instant(m.getCutoffAtEpochMillis()),
            m.getMaxPoints(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case UPDATE_ASSIGNMENT -> {
        var m = known(entry.getUpdateAssignment());
        yield new UpdateAssignment(
            m.getAssignmentId(),
            m.getTitle(),
            m.hasDescription() ? m.getDescription() : null,
            instant(m.getOpensAtEpochMillis()),
            instant(m.getDueAtEpochMillis()),
            instant(m.getCutoffAtEpochMillis()),
            m.getMaxPoints(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case SUBMIT_ASSIGNMENT -> {
        var m = known(entry.getSubmitAssignment());
        yield new SubmitAssignment(
            m.getSubmissionId(),
            m.getAssignmentId(),
            m.getFileName(),
            m.getSize(),
            m.getMediaType(),
            m.getSha256(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case GRADE_SUBMISSION -> {
        var m = known(entry.getGradeSubmission());
        yield new GradeSubmission(
            m.getSubmissionId(),
            m.getPoints(),
            m.hasFeedback() ? m.getFeedback() : null,
            m.getExpectedVersion(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()),
            m.hasDraftId() ? m.getDraftId() : null);
      }
      case RELEASE_GRADE -> {
        var m = known(entry.getReleaseGrade());
        yield new ReleaseGrade(
            m.getSubmissionId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case RELEASE_ASSIGNMENT_GRADES -> {
        var m = known(entry.getReleaseAssignmentGrades());
        yield new ReleaseAssignmentGrades(
            m.getAssignmentId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case ASK_QUESTION -> {
        var m = known(entry.getAskQuestion());
        yield new AskQuestion(
            m.getQuestionId(),
            m.getCourseId(),
            addressee(m.getAddresseeValue()),
            m.getText(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case ANSWER_QUESTION -> {
        var m = known(entry.getAnswerQuestion());
        yield new AnswerQuestion(
            m.getAnswerId(),
            m.getQuestionId(),
            authorKind(m.getAuthorKindValue()),
            m.hasModel() ? m.getModel() : null,
            m.hasPromptSha256() ? m.getPromptSha256() : null,
            m.getText(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()),
            m.getSourcesList().stream()
                .map(
                    s ->
                        new AnswerQuestion.Source(
                            known(s).getNumber(),
                            s.getMaterialId(),
                            s.getMaterialTitle(),
                            s.getPage(),
                            s.hasSection() ? s.getSection() : null))
                .toList());
      }
      case REFER_QUESTION -> {
        var m = known(entry.getReferQuestion());
        yield new ReferQuestion(
            m.getQuestionId(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case ENDORSE_ANSWER -> {
        var m = known(entry.getEndorseAnswer());
        yield new EndorseAnswer(
            m.getAnswerId(), m.getEndorsed(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case SET_COURSE_AI -> {
        var m = known(entry.getSetCourseAi());
        yield new SetCourseAi(
            m.getCourseId(), m.getEnabled(), m.getActorId(), instant(m.getIssuedAtEpochMillis()));
      }
      case RECORD_FEEDBACK_DRAFT -> {
        var m = known(entry.getRecordFeedbackDraft());
        yield new RecordFeedbackDraft(
            m.getDraftId(),
            m.getSubmissionId(),
            m.getModel(),
            m.getPromptSha256(),
            m.getText(),
            m.getActorId(),
            instant(m.getIssuedAtEpochMillis()));
      }
      case COMMAND_NOT_SET -> throw new IllegalStateException("checked above");
    };
  }

  /** The reply of the state machine for a committed command. */
  public static byte[] encodeResult(CommandResult result) {
    Objects.requireNonNull(result, "result");
    var outcome = CommandOutcome.newBuilder().setIndex(result.index());
    result
        .rejection()
        .ifPresent(
            r -> {
              outcome.setRejectionReason(r.reason().name());
              if (!r.field().isEmpty()) {
                outcome.setRejectionField(r.field());
              }
              ifPresent(r.message(), outcome::setRejectionMessage);
            });
    return outcome.build().toByteArray();
  }

  /**
   * The result in a reply of the state machine. An empty array is a valid reply: "accepted at index
   * 0". A rejection reason this node does not know (sent by a newer node during a rolling upgrade)
   * still decodes as a rejection, since the command was refused and changed nothing: as {@link
   * RejectionReason#INVALID_FIELD} with the unknown reason's name leading the message.
   *
   * @throws IllegalArgumentException if the bytes are not a reply, or carry a rejection field or
   *     message without a reason
   */
  public static CommandResult decodeResult(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    CommandOutcome outcome;
    try {
      outcome = CommandOutcome.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "not a command outcome (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    if (!outcome.hasRejectionReason()) {
      if (outcome.hasRejectionField() || outcome.hasRejectionMessage()) {
        throw new IllegalArgumentException(
            "command outcome has a rejection field or message but no reason");
      }
      return CommandResult.accepted(outcome.getIndex());
    }
    var name = outcome.getRejectionReason();
    var field = outcome.hasRejectionField() ? outcome.getRejectionField() : null;
    var message = outcome.hasRejectionMessage() ? outcome.getRejectionMessage() : null;
    var reason = knownReason(name);
    if (reason.isEmpty()) {
      return CommandResult.rejected(
          outcome.getIndex(),
          new Rejection(
              RejectionReason.INVALID_FIELD,
              field,
              name + (message == null ? "" : ": " + message)));
    }
    return CommandResult.rejected(outcome.getIndex(), new Rejection(reason.get(), field, message));
  }

  private static Optional<RejectionReason> knownReason(String name) {
    try {
      return Optional.of(RejectionReason.valueOf(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static org.lms.infrastructure.raft.log.v1.Role role(Role role) {
    return switch (role) {
      case STUDENT -> org.lms.infrastructure.raft.log.v1.Role.ROLE_STUDENT;
      case INSTRUCTOR -> org.lms.infrastructure.raft.log.v1.Role.ROLE_INSTRUCTOR;
      case ADMIN -> org.lms.infrastructure.raft.log.v1.Role.ROLE_ADMIN;
    };
  }

  private static Role role(int number) {
    var role = org.lms.infrastructure.raft.log.v1.Role.forNumber(number);
    return switch (role == null ? org.lms.infrastructure.raft.log.v1.Role.UNRECOGNIZED : role) {
      case ROLE_STUDENT -> Role.STUDENT;
      case ROLE_INSTRUCTOR -> Role.INSTRUCTOR;
      case ROLE_ADMIN -> Role.ADMIN;
      case ROLE_UNSPECIFIED, UNRECOGNIZED -> throw unknownEnum("role", number);
    };
  }

  private static Addressee addressee(Question.Addressee addressee) {
    return switch (addressee) {
      case INSTRUCTOR -> Addressee.ADDRESSEE_INSTRUCTOR;
      case AI -> Addressee.ADDRESSEE_AI;
    };
  }

  private static Question.Addressee addressee(int number) {
    var addressee = Addressee.forNumber(number);
    return switch (addressee == null ? Addressee.UNRECOGNIZED : addressee) {
      case ADDRESSEE_INSTRUCTOR -> Question.Addressee.INSTRUCTOR;
      case ADDRESSEE_AI -> Question.Addressee.AI;
      case ADDRESSEE_UNSPECIFIED, UNRECOGNIZED -> throw unknownEnum("addressee", number);
    };
  }

  private static AuthorKind authorKind(Answer.AuthorKind kind) {
    return switch (kind) {
      case INSTRUCTOR -> AuthorKind.AUTHOR_KIND_INSTRUCTOR;
      case MODEL -> AuthorKind.AUTHOR_KIND_MODEL;
    };
  }

  private static Answer.AuthorKind authorKind(int number) {
    var kind = AuthorKind.forNumber(number);
    return switch (kind == null ? AuthorKind.UNRECOGNIZED : kind) {
      case AUTHOR_KIND_INSTRUCTOR -> Answer.AuthorKind.INSTRUCTOR;
      case AUTHOR_KIND_MODEL -> Answer.AuthorKind.MODEL;
      case AUTHOR_KIND_UNSPECIFIED, UNRECOGNIZED -> throw unknownEnum("author kind", number);
    };
  }

  private static IllegalArgumentException unknownEnum(String what, int number) {
    return new IllegalArgumentException(
        "log entry has "
            + (number == 0
                ? "no " + what
                : "a " + what + " unknown to this node (" + number + ")"));
  }

  private static Instant instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }

  /** A field this node does not know may change the command's meaning: refuse, never ignore. */
  private static <M extends Message> M known(M message) {
    requireKnownFields(message, message.getDescriptorForType().getName());
    return message;
  }

  private static void requireKnownFields(Message message, String what) {
    var unknown = message.getUnknownFields();
    if (!unknown.asMap().isEmpty()) {
      throw new IllegalArgumentException(
          what
              + " has fields unknown to this node "
              + unknown.asMap().keySet()
              + ": upgrade this node");
    }
  }

  private static void ifPresent(String value, Consumer<String> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /** Checks one command's fields against what the schema can hold, naming the field at fault. */
  private record Fields(Command command) {

    String text(String field, String value) {
      return present(field, value);
    }

    <T> T present(String field, T value) {
      if (value == null) {
        throw new IllegalArgumentException(name(field) + " is null; the log cannot hold it");
      }
      return value;
    }

    long millis(String field, Instant value) {
      try {
        return present(field, value).toEpochMilli();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(name(field) + " is beyond epoch milliseconds", e);
      }
    }

    private String name(String field) {
      return command.getClass().getSimpleName() + "." + field;
    }
  }
}

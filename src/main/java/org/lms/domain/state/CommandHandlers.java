package org.lms.domain.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** The handler table: every command type and the one handler that decides it, in one place. */
final class CommandHandlers {

  private final Map<Class<? extends Command>, Handler<? extends Command>> table = new HashMap<>();

  CommandHandlers() {
    register(BootstrapAdmin.class, UserHandlers::bootstrapAdmin);
    register(RegisterUser.class, UserHandlers::registerUser);
    register(SetUserDisabled.class, UserHandlers::setUserDisabled);
    register(SetPassword.class, UserHandlers::setPassword);
    register(OpenSession.class, UserHandlers::openSession);
    register(CloseSession.class, UserHandlers::closeSession);
    register(ExpireSessions.class, UserHandlers::expireSessions);
    register(CreateCourse.class, CourseHandlers::createCourse);
    register(AssignInstructor.class, CourseHandlers::assignInstructor);
    register(EnrolStudent.class, CourseHandlers::enrolStudent);
    register(UnenrolStudent.class, CourseHandlers::unenrolStudent);
    register(AddMaterial.class, CourseHandlers::addMaterial);
    register(RemoveMaterial.class, CourseHandlers::removeMaterial);
    register(CreateAssignment.class, AssignmentHandlers::createAssignment);
    register(UpdateAssignment.class, AssignmentHandlers::updateAssignment);
    register(SubmitAssignment.class, AssignmentHandlers::submitAssignment);
    register(GradeSubmission.class, GradeHandlers::gradeSubmission);
    register(ReleaseGrade.class, GradeHandlers::releaseGrade);
    register(ReleaseAssignmentGrades.class, GradeHandlers::releaseAssignmentGrades);
    register(AskQuestion.class, QuestionHandlers::askQuestion);
    register(AnswerQuestion.class, QuestionHandlers::answerQuestion);
    register(ReferQuestion.class, QuestionHandlers::referQuestion);
    register(EndorseAnswer.class, QuestionHandlers::endorseAnswer);
    register(SetCourseAi.class, CourseHandlers::setCourseAi);
    register(RecordFeedbackDraft.class, GradeHandlers::recordFeedbackDraft);
    for (Class<?> type : Command.class.getPermittedSubclasses()) {
      if (!table.containsKey(type)) {
        throw new IllegalStateException("no handler for " + type.getSimpleName());
      }
    }
  }

  private <C extends Command> void register(Class<C> type, Handler<C> handler) {
    table.put(type, handler);
  }

  /**
   * Decides {@code command}. A broken rule becomes a rejection. So does a handler's own
   * NullPointerException or IllegalArgumentException (input it did not foresee): it happens alike
   * on every node, and refusing the command keeps the cluster running. Store failures are not
   * caught: they are not deterministic and must stop the apply.
   */
  @SuppressWarnings("unchecked")
  LmsStateMachine.Decision decide(Command command, State state) {
    if (command == null) {
      return LmsStateMachine.Decision.reject(
          new Rejection(RejectionReason.INVALID_FIELD, "command", "no command"));
    }
    var handler = (Handler<Command>) table.get(command.getClass());
    try {
      List<Change> changes = handler.handle(command, state);
      return LmsStateMachine.Decision.accept(changes);
    } catch (RejectedException e) {
      return LmsStateMachine.Decision.reject(e.rejection());
    } catch (NullPointerException | IllegalArgumentException e) {
      return LmsStateMachine.Decision.reject(
          new Rejection(
              RejectionReason.INVALID_FIELD,
              "",
              command.getClass().getSimpleName() + " is malformed: " + e.getMessage()));
    }
  }
}

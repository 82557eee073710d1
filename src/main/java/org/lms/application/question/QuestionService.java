package org.lms.application.question;

import java.util.Comparator;
import java.util.List;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.UseCases;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Course;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

/**
 * Asking and answering. Model answers are recorded through {@link #recordModelAnswer} by the AI
 * assistant after it called the model once, outside the state machine.
 */
public final class QuestionService {
  private final UseCases useCases;

  public QuestionService(UseCases useCases) {
    this.useCases = useCases;
  }

  public Question ask(Actor actor, String courseId, Addressee addressee, String text) {
    String id = useCases.newId();
    useCases.propose(
        new AskQuestion(id, courseId, addressee, text, actor.userId(), useCases.now()));
    return useCases.require(Question.class, id, RejectionReason.UNKNOWN_QUESTION);
  }

  public Answer answer(Actor actor, String questionId, String text) {
    String id = useCases.newId();
    useCases.propose(
        new AnswerQuestion(
            id,
            questionId,
            AuthorKind.INSTRUCTOR,
            null,
            null,
            text,
            actor.userId(),
            useCases.now()));
    return useCases.require(Answer.class, id, RejectionReason.UNKNOWN_QUESTION);
  }

  public Answer recordModelAnswer(
      Actor actor, String questionId, String model, String promptSha256, String text) {
    String id = useCases.newId();
    useCases.propose(
        new AnswerQuestion(
            id,
            questionId,
            AuthorKind.MODEL,
            model,
            promptSha256,
            text,
            actor.userId(),
            useCases.now()));
    return useCases.require(Answer.class, id, RejectionReason.UNKNOWN_QUESTION);
  }

  /** Questions of a course: all of them for its instructors, a student's own for a student. */
  public List<Question> list(Actor actor, String courseId) {
    Course course = useCases.require(Course.class, courseId, RejectionReason.UNKNOWN_COURSE);
    List<Question> found;
    if (Access.teaches(actor, course)) {
      found = useCases.store().find(Question.class, Criterion.eq("courseId", courseId));
    } else {
      Access.requireMember(actor, course);
      found =
          useCases
              .store()
              .find(
                  Question.class,
                  Criterion.eq("courseId", courseId),
                  Criterion.eq("askedBy", actor.userId()));
    }
    return found.stream().sorted(Comparator.comparing(Question::askedAt).reversed()).toList();
  }

  public List<Answer> answers(Actor actor, String questionId) {
    Question q = useCases.require(Question.class, questionId, RejectionReason.UNKNOWN_QUESTION);
    Course course = useCases.require(Course.class, q.courseId(), RejectionReason.UNKNOWN_COURSE);
    if (!q.askedBy().equals(actor.userId()) && !Access.teaches(actor, course)) {
      throw new RejectedException(
          RejectionReason.UNKNOWN_QUESTION, "questionId", "no question " + questionId);
    }
    return useCases.store().find(Answer.class, Criterion.eq("questionId", questionId)).stream()
        .sorted(Comparator.comparing(Answer::answeredAt))
        .toList();
  }
}

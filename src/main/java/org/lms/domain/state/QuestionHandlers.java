package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_LONG_TEXT;
import static org.lms.domain.state.Checks.MAX_QUESTION;

import java.util.List;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Course;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.domain.model.User;

/** Questions from students and their answers, by instructors or by a model. */
final class QuestionHandlers {
  private QuestionHandlers() {}

  static List<Change> askQuestion(AskQuestion c, State state) {
    Checks.id("questionId", c.questionId());
    Checks.present("addressee", c.addressee());
    Checks.text("text", c.text(), MAX_QUESTION);
    Checks.instant("issuedAt", c.issuedAt());
    Course course = state.course("courseId", c.courseId());
    User student = state.studentIn(c.actorId(), course);
    state.requireNew(Question.class, "questionId", c.questionId());
    return List.of(
        new Change.Put(
            new Question(
                c.questionId(),
                course.id(),
                student.id(),
                c.addressee(),
                c.text(),
                QuestionStatus.OPEN,
                c.issuedAt(),
                null)));
  }

  static List<Change> answerQuestion(AnswerQuestion c, State state) {
    Checks.id("answerId", c.answerId());
    Checks.present("authorKind", c.authorKind());
    Checks.text("text", c.text(), MAX_LONG_TEXT);
    Checks.instant("issuedAt", c.issuedAt());
    Question question = state.question("questionId", c.questionId());
    Course course = state.course("courseId", question.courseId());
    state.requireNew(Answer.class, "answerId", c.answerId());
    String authorId;
    if (c.authorKind() == AuthorKind.INSTRUCTOR) {
      authorId = state.instructorOf(c.actorId(), course).id();
    } else {
      Checks.line("model", c.model(), 200);
      Checks.sha256("promptSha256", c.promptSha256());
      if (question.addressee() != Addressee.AI) {
        throw new RejectedException(
            RejectionReason.QUESTION_NOT_FOR_AI,
            "questionId",
            "the question was addressed to the instructor, not the AI");
      }
      User actor = state.actor(c.actorId());
      if (!actor.id().equals(question.askedBy()) && !course.isTaughtBy(actor.id())) {
        throw new RejectedException(
            RejectionReason.ACTOR_NOT_PERMITTED,
            "actorId",
            "only the asker or an instructor may record a model's answer");
      }
      authorId = null;
    }
    Answer answer =
        new Answer(
            c.answerId(),
            question.id(),
            course.id(),
            c.authorKind(),
            authorId,
            c.authorKind() == AuthorKind.MODEL ? c.model() : null,
            c.authorKind() == AuthorKind.MODEL ? c.promptSha256() : null,
            c.text(),
            c.issuedAt());
    Question answered =
        question.status() == QuestionStatus.ANSWERED ? question : question.answered(c.issuedAt());
    return answered.equals(question)
        ? List.of(new Change.Put(answer))
        : List.of(new Change.Put(answer), new Change.Put(answered));
  }
}

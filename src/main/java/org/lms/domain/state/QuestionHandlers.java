package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_LONG_TEXT;
import static org.lms.domain.state.Checks.MAX_QUESTION;
import static org.lms.domain.state.Checks.MAX_TITLE;

import java.util.ArrayList;
import java.util.List;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.command.EndorseAnswer;
import org.lms.domain.command.ReferQuestion;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.domain.model.User;

/**
 * Questions from students and their answers, by instructors or by a model; referral of an AI
 * question to the instructor; endorsement of answers for the whole course.
 */
final class QuestionHandlers {

  /** The most sources one model answer may cite: the assistant retrieves a handful of passages. */
  static final int MAX_SOURCES = 10;

  private QuestionHandlers() {}

  static List<Change> askQuestion(AskQuestion c, State state) {
    Checks.id("questionId", c.questionId());
    Checks.present("addressee", c.addressee());
    Checks.text("text", c.text(), MAX_QUESTION);
    Checks.instant("issuedAt", c.issuedAt());
    Course course = state.course("courseId", c.courseId());
    User student = state.studentIn(c.actorId(), course);
    if (c.addressee() == Addressee.AI) {
      state.aiEnabled(course);
    }
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
                null,
                null,
                false)));
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
      if (!c.sources().isEmpty()) {
        throw Checks.invalid("sources", "only a model's answer cites sources");
      }
    } else {
      Checks.line("model", c.model(), 200);
      Checks.sha256("promptSha256", c.promptSha256());
      checkSources(c.sources());
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
      state.aiEnabled(course);
      authorId = null;
    }
    boolean byModel = c.authorKind() == AuthorKind.MODEL;
    Answer answer =
        new Answer(
            c.answerId(),
            question.id(),
            course.id(),
            c.authorKind(),
            authorId,
            byModel ? c.model() : null,
            byModel ? c.promptSha256() : null,
            c.text(),
            c.issuedAt(),
            null,
            null);
    var changes = new ArrayList<Change>();
    changes.add(new Change.Put(answer));
    for (AnswerQuestion.Source source : c.sources()) {
      changes.add(
          new Change.Put(
              new Citation(
                  Citation.idOf(answer.id(), source.number()),
                  answer.id(),
                  question.id(),
                  course.id(),
                  source.number(),
                  source.materialId(),
                  source.materialTitle(),
                  source.page(),
                  source.section())));
    }
    if (question.status() != QuestionStatus.ANSWERED) {
      changes.add(new Change.Put(question.answered(c.issuedAt())));
    }
    return changes;
  }

  /** Format only: the material may have been withdrawn since; the citation keeps its title. */
  private static void checkSources(List<AnswerQuestion.Source> sources) {
    if (sources.size() > MAX_SOURCES) {
      throw Checks.invalid("sources", "at most " + MAX_SOURCES + " sources");
    }
    var numbers = new java.util.HashSet<Integer>();
    for (AnswerQuestion.Source source : sources) {
      Checks.present("sources", source);
      if (source.number() < 1 || source.number() > MAX_SOURCES || !numbers.add(source.number())) {
        throw Checks.invalid("sources.number", "must be distinct numbers from 1 to " + MAX_SOURCES);
      }
      Checks.id("sources.materialId", source.materialId());
      Checks.line("sources.materialTitle", source.materialTitle(), MAX_TITLE);
      if (source.page() < 0) {
        throw Checks.invalid("sources.page", "must be 0 (no pages) or a page number");
      }
      if (source.section() != null) {
        Checks.line("sources.section", source.section(), MAX_TITLE);
      }
    }
  }

  static List<Change> referQuestion(ReferQuestion c, State state) {
    Checks.instant("issuedAt", c.issuedAt());
    Question question = state.question("questionId", c.questionId());
    User actor = state.actor(c.actorId());
    if (!actor.id().equals(question.askedBy())) {
      throw new RejectedException(
          RejectionReason.ACTOR_NOT_PERMITTED,
          "actorId",
          "only the student who asked may pass the question on");
    }
    if (question.addressee() != Addressee.AI) {
      throw new RejectedException(
          RejectionReason.QUESTION_NOT_FOR_AI,
          "questionId",
          "the question is already addressed to the instructor");
    }
    return List.of(new Change.Put(question.referred(c.issuedAt())));
  }

  static List<Change> endorseAnswer(EndorseAnswer c, State state) {
    Checks.instant("issuedAt", c.issuedAt());
    Answer answer = state.answer("answerId", c.answerId());
    Question question = state.question("questionId", answer.questionId());
    User instructor = state.instructorOf(c.actorId(), state.course("courseId", answer.courseId()));
    if (answer.endorsed() == c.endorsed()) {
      return List.of();
    }
    Answer changed =
        c.endorsed()
            ? answer.withEndorsement(instructor.id(), c.issuedAt())
            : answer.withEndorsement(null, null);
    boolean othersEndorsed =
        state.answersTo(question.id()).stream()
            .anyMatch(a -> !a.id().equals(answer.id()) && a.endorsed());
    Question shared = question.sharedWithCourse(c.endorsed() || othersEndorsed);
    return shared.equals(question)
        ? List.of(new Change.Put(changed))
        : List.of(new Change.Put(changed), new Change.Put(shared));
  }
}

package org.lms.application.question;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.UseCases;
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
            useCases.now(),
            List.of()));
    return useCases.require(Answer.class, id, RejectionReason.UNKNOWN_QUESTION);
  }

  /** Commits a model's answer, with the model's name, the prompt's hash and the cited sources. */
  public Answer recordModelAnswer(
      Actor actor,
      String questionId,
      String model,
      String promptSha256,
      String text,
      List<AnswerQuestion.Source> sources) {
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
            useCases.now(),
            sources));
    return useCases.require(Answer.class, id, RejectionReason.UNKNOWN_QUESTION);
  }

  /** The student passes a question for the AI on to the instructor. */
  public Question refer(Actor actor, String questionId) {
    useCases.propose(new ReferQuestion(questionId, actor.userId(), useCases.now()));
    return useCases.require(Question.class, questionId, RejectionReason.UNKNOWN_QUESTION);
  }

  /** An instructor shares an answer with the whole course ({@code endorsed}) or withdraws it. */
  public Answer endorse(Actor actor, String answerId, boolean endorsed) {
    useCases.propose(new EndorseAnswer(answerId, endorsed, actor.userId(), useCases.now()));
    return useCases.require(Answer.class, answerId, RejectionReason.UNKNOWN_ANSWER);
  }

  public Question get(Actor actor, String questionId) {
    Question q = useCases.require(Question.class, questionId, RejectionReason.UNKNOWN_QUESTION);
    requireReader(actor, q);
    return q;
  }

  /**
   * Questions of a course, newest first: all of them for its instructors; for a student, their own
   * and those shared with the course through an endorsed answer.
   */
  public List<Question> list(Actor actor, String courseId) {
    Course course = useCases.require(Course.class, courseId, RejectionReason.UNKNOWN_COURSE);
    List<Question> found;
    if (Access.teaches(actor, course)) {
      found = useCases.store().find(Question.class, Criterion.eq("courseId", courseId));
    } else {
      Access.requireMember(actor, course);
      Map<String, Question> visible = new LinkedHashMap<>();
      for (Question q :
          useCases
              .store()
              .find(
                  Question.class,
                  Criterion.eq("courseId", courseId),
                  Criterion.eq("askedBy", actor.userId()))) {
        visible.put(q.id(), q);
      }
      for (Question q :
          useCases
              .store()
              .find(
                  Question.class,
                  Criterion.eq("courseId", courseId),
                  Criterion.eq("shared", true))) {
        visible.putIfAbsent(q.id(), q);
      }
      found = new ArrayList<>(visible.values());
    }
    return found.stream().sorted(Comparator.comparing(Question::askedAt).reversed()).toList();
  }

  /**
   * The answers to a question, oldest first: all of them for the asker and the course's
   * instructors; only the endorsed ones for the other students of a shared question.
   */
  public List<Answer> answers(Actor actor, String questionId) {
    Question q = useCases.require(Question.class, questionId, RejectionReason.UNKNOWN_QUESTION);
    boolean full = requireReader(actor, q);
    return useCases.store().find(Answer.class, Criterion.eq("questionId", questionId)).stream()
        .filter(a -> full || a.endorsed())
        .sorted(Comparator.comparing(Answer::answeredAt))
        .toList();
  }

  /** An answer with the sources it cites, in the order the answer numbers them. */
  public record CitedAnswer(Answer answer, List<Citation> citations) {}

  /**
   * {@link #answers} with their citations, read with one query for the whole question rather than
   * one answer at a time.
   */
  public List<CitedAnswer> citedAnswers(Actor actor, String questionId) {
    List<Answer> visible = answers(actor, questionId);
    Map<String, List<Citation>> byAnswer =
        useCases.store().find(Citation.class, Criterion.eq("questionId", questionId)).stream()
            .sorted(Comparator.comparingInt(Citation::ordinal))
            .collect(Collectors.groupingBy(Citation::answerId));
    return visible.stream()
        .map(a -> new CitedAnswer(a, byAnswer.getOrDefault(a.id(), List.of())))
        .toList();
  }

  /** The sources a visible answer cites, in the order the answer numbers them. */
  public List<Citation> citations(Actor actor, String answerId) {
    Answer answer = useCases.require(Answer.class, answerId, RejectionReason.UNKNOWN_ANSWER);
    Question q =
        useCases.require(Question.class, answer.questionId(), RejectionReason.UNKNOWN_QUESTION);
    boolean full = requireReader(actor, q);
    if (!full && !answer.endorsed()) {
      throw new RejectedException(
          RejectionReason.UNKNOWN_ANSWER, "answerId", "no answer " + answerId);
    }
    return useCases.store().find(Citation.class, Criterion.eq("answerId", answerId)).stream()
        .sorted(Comparator.comparingInt(Citation::ordinal))
        .toList();
  }

  /**
   * Refuses anyone who may not see the question (as if it did not exist); returns whether the actor
   * sees all of it (asker or instructor) rather than only its endorsed answers.
   */
  private boolean requireReader(Actor actor, Question q) {
    Course course = useCases.require(Course.class, q.courseId(), RejectionReason.UNKNOWN_COURSE);
    if (q.askedBy().equals(actor.userId()) || Access.teaches(actor, course)) {
      return true;
    }
    if (q.shared() && course.isAttendedBy(actor.userId())) {
      return false;
    }
    throw new RejectedException(
        RejectionReason.UNKNOWN_QUESTION, "questionId", "no question " + q.id());
  }
}

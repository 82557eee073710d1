package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

class QuestionHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).classroom();
  }

  @Test
  void studentsAskAndInstructorsAnswer() {
    s.accept(
        new AskQuestion("q1", "c1", Addressee.INSTRUCTOR, "When is the exam?", "alice", s.now()));
    assertThat(s.store().get(Question.class, "q1").orElseThrow().status())
        .isEqualTo(QuestionStatus.OPEN);
    s.accept(
        new AnswerQuestion(
            "x1",
            "q1",
            AuthorKind.INSTRUCTOR,
            null,
            null,
            "Friday.",
            "carol",
            s.now(),
            java.util.List.of()));
    assertThat(s.store().get(Question.class, "q1").orElseThrow().status())
        .isEqualTo(QuestionStatus.ANSWERED);
    assertThat(s.store().get(Answer.class, "x1").orElseThrow().authorId()).isEqualTo("carol");
  }

  @Test
  void modelAnswersCarryModelAndPromptHash() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is Raft?", "alice", s.now()));
    String prompt = sha256("prompt");
    s.accept(
        new AnswerQuestion(
            "x1",
            "q1",
            AuthorKind.MODEL,
            "gemma2:2b",
            prompt,
            "A consensus protocol.",
            "alice",
            s.now(),
            java.util.List.of()));
    Answer a = s.store().get(Answer.class, "x1").orElseThrow();
    assertThat(a.model()).isEqualTo("gemma2:2b");
    assertThat(a.promptSha256()).isEqualTo(prompt);
    assertThat(a.authorId()).isNull();
  }

  @Test
  void refusesBadQuestionsAndAnswers() {
    assertThat(s.reject(new AskQuestion("q1", "c1", Addressee.AI, "hi", "bob", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_ENROLLED);
    assertThat(s.reject(new AskQuestion("q1", "c1", Addressee.AI, " ", "alice", s.now())).field())
        .isEqualTo("text");
    assertThat(s.reject(new AskQuestion("q1", "c1", null, "hi", "alice", s.now())).field())
        .isEqualTo("addressee");
    assertThat(s.reject(new AskQuestion("q1", "zz", Addressee.AI, "hi", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_COURSE);
    s.accept(new AskQuestion("q1", "c1", Addressee.INSTRUCTOR, "hi", "alice", s.now()));
    assertThat(
            s.reject(
                    new AnswerQuestion(
                        "x1",
                        "q1",
                        AuthorKind.INSTRUCTOR,
                        null,
                        null,
                        "no",
                        "dave",
                        s.now(),
                        java.util.List.of()))
                .reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(
            s.reject(
                    new AnswerQuestion(
                        "x1",
                        "q1",
                        AuthorKind.MODEL,
                        "m",
                        sha256("p"),
                        "no",
                        "alice",
                        s.now(),
                        java.util.List.of()))
                .reason())
        .isEqualTo(RejectionReason.QUESTION_NOT_FOR_AI);
    assertThat(
            s.reject(
                    new AnswerQuestion(
                        "x1",
                        "qq",
                        AuthorKind.INSTRUCTOR,
                        null,
                        null,
                        "no",
                        "carol",
                        s.now(),
                        java.util.List.of()))
                .reason())
        .isEqualTo(RejectionReason.UNKNOWN_QUESTION);
  }
}

package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AnswerQuestion.Source;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.command.EndorseAnswer;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.ReferQuestion;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.FeedbackDraft;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

/**
 * The commands of the AI assistant: cited model answers, referral to the instructor, endorsement,
 * the per-course switch and feedback drafts.
 */
class AssistantHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).classroom().enrol("c1", "bob");
  }

  private AnswerQuestion modelAnswer(String id, String questionId, List<Source> sources) {
    return new AnswerQuestion(
        id,
        questionId,
        AuthorKind.MODEL,
        "gemma2:2b",
        sha256("prompt " + id),
        "A term numbers an election [1].",
        "alice",
        s.now(),
        sources);
  }

  @Test
  void aModelAnswerKeepsItsCitationsInOrder() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is a term?", "alice", s.now()));
    s.accept(
        modelAnswer(
            "x1",
            "q1",
            List.of(
                new Source(1, "m1", "Raft paper", 5, null),
                new Source(2, "m2", "Notes", 0, "Terms"))));
    List<Citation> citations = s.store().find(Citation.class, Criterion.eq("answerId", "x1"));
    assertThat(citations)
        .extracting(Citation::ordinal, Citation::materialTitle, Citation::page, Citation::section)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1, "Raft paper", 5, null),
            org.assertj.core.groups.Tuple.tuple(2, "Notes", 0, "Terms"));
    assertThat(citations.get(0).questionId()).isEqualTo("q1");
  }

  @Test
  void refusesBadSources() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is a term?", "alice", s.now()));
    assertThat(
            s.reject(modelAnswer("x1", "q1", List.of(new Source(1, "bad id!", "T", 1, null))))
                .field())
        .isEqualTo("sources.materialId");
    assertThat(
            s.reject(modelAnswer("x1", "q1", List.of(new Source(1, "m1", "T", -1, null)))).field())
        .isEqualTo("sources.page");
    assertThat(
            s.reject(
                    modelAnswer(
                        "x1", "q1", Collections.nCopies(11, new Source(1, "m1", "T", 1, null))))
                .field())
        .isEqualTo("sources");
    assertThat(
            s.reject(
                    modelAnswer(
                        "x1",
                        "q1",
                        List.of(
                            new Source(2, "m1", "T", 1, null), new Source(2, "m2", "U", 1, null))))
                .field())
        .isEqualTo("sources.number");
    assertThat(
            s.reject(modelAnswer("x1", "q1", List.of(new Source(0, "m1", "T", 1, null)))).field())
        .isEqualTo("sources.number");
    var instructorWithSources =
        new AnswerQuestion(
            "x1",
            "q1",
            AuthorKind.INSTRUCTOR,
            null,
            null,
            "Yes.",
            "carol",
            s.now(),
            List.of(new Source(1, "m1", "T", 1, null)));
    assertThat(s.reject(instructorWithSources).field()).isEqualTo("sources");
    assertThat(s.store().count(Answer.class)).isZero();
    assertThat(s.store().count(Citation.class)).isZero();
  }

  @Test
  void theAskerPassesAnAiQuestionOnToTheInstructor() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is a term?", "alice", s.now()));
    s.accept(modelAnswer("x1", "q1", List.of()));
    assertThat(s.reject(new ReferQuestion("q1", "bob", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    s.accept(new ReferQuestion("q1", "alice", s.now()));
    Question q = s.store().get(Question.class, "q1").orElseThrow();
    assertThat(q.addressee()).isEqualTo(Addressee.INSTRUCTOR);
    assertThat(q.status()).isEqualTo(QuestionStatus.OPEN);
    assertThat(q.referredAt()).isEqualTo(s.now());
    // once with the instructor, no second referral and no further model answer
    assertThat(s.reject(new ReferQuestion("q1", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.QUESTION_NOT_FOR_AI);
    assertThat(s.reject(modelAnswer("x2", "q1", List.of())).reason())
        .isEqualTo(RejectionReason.QUESTION_NOT_FOR_AI);
    assertThat(s.reject(new ReferQuestion("nope", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_QUESTION);
  }

  @Test
  void anEndorsedAnswerSharesItsQuestionUntilWithdrawn() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is a term?", "alice", s.now()));
    s.accept(modelAnswer("x1", "q1", List.of()));
    assertThat(s.reject(new EndorseAnswer("x1", true, "alice", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new EndorseAnswer("x1", true, "dave", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(new EndorseAnswer("nope", true, "carol", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_ANSWER);

    s.accept(new EndorseAnswer("x1", true, "carol", s.now()));
    Answer endorsed = s.store().get(Answer.class, "x1").orElseThrow();
    assertThat(endorsed.endorsedBy()).isEqualTo("carol");
    assertThat(endorsed.endorsedAt()).isEqualTo(s.now());
    assertThat(s.store().get(Question.class, "q1").orElseThrow().shared()).isTrue();

    s.accept(new EndorseAnswer("x1", false, "carol", s.now()));
    assertThat(s.store().get(Answer.class, "x1").orElseThrow().endorsed()).isFalse();
    assertThat(s.store().get(Question.class, "q1").orElseThrow().shared()).isFalse();
  }

  @Test
  void aQuestionStaysSharedWhileAnotherOfItsAnswersIsEndorsed() {
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "What is a term?", "alice", s.now()));
    s.accept(modelAnswer("x1", "q1", List.of()));
    s.accept(
        new AnswerQuestion(
            "x2", "q1", AuthorKind.INSTRUCTOR, null, null, "Also...", "carol", s.now(), List.of()));
    s.accept(new EndorseAnswer("x1", true, "carol", s.now()));
    s.accept(new EndorseAnswer("x2", true, "carol", s.now()));
    s.accept(new EndorseAnswer("x1", false, "carol", s.now()));
    assertThat(s.store().get(Question.class, "q1").orElseThrow().shared()).isTrue();
  }

  @Test
  void anAiSwitchedOffCourseTakesNoAiQuestionsAnswersOrDrafts() {
    s.submission("sub1", "a1", "alice");
    s.accept(new AskQuestion("q1", "c1", Addressee.AI, "Before the switch", "alice", s.now()));
    assertThat(s.reject(new SetCourseAi("c1", false, "alice", s.now())).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    s.accept(new SetCourseAi("c1", false, "carol", s.now()));
    assertThat(s.store().get(Course.class, "c1").orElseThrow().aiEnabled()).isFalse();

    assertThat(
            s.reject(new AskQuestion("q2", "c1", Addressee.AI, "After", "alice", s.now())).reason())
        .isEqualTo(RejectionReason.AI_DISABLED);
    assertThat(s.reject(modelAnswer("x1", "q1", List.of())).reason())
        .isEqualTo(RejectionReason.AI_DISABLED);
    assertThat(s.reject(draft("d1", "sub1", "carol")).reason())
        .isEqualTo(RejectionReason.AI_DISABLED);
    // the instructor is still there
    s.accept(new AskQuestion("q3", "c1", Addressee.INSTRUCTOR, "After", "alice", s.now()));

    s.accept(new SetCourseAi("c1", true, Scenario.ADMIN, s.now()));
    s.accept(modelAnswer("x1", "q1", List.of()));
  }

  private RecordFeedbackDraft draft(String id, String submissionId, String actor) {
    return new RecordFeedbackDraft(
        id,
        submissionId,
        "gemma2:2b",
        sha256("draft prompt " + id),
        "Good structure; cite your sources.",
        actor,
        s.now());
  }

  @Test
  void anApprovedDraftMarksTheGradeAiAssistedUntilTheFeedbackIsRewritten() {
    s.submission("sub1", "a1", "alice");
    assertThat(s.reject(draft("d1", "sub1", "dave")).reason())
        .isEqualTo(RejectionReason.NOT_INSTRUCTOR_OF_COURSE);
    assertThat(s.reject(draft("d1", "nope", "carol")).reason())
        .isEqualTo(RejectionReason.UNKNOWN_SUBMISSION);
    s.accept(draft("d1", "sub1", "carol"));
    FeedbackDraft d = s.store().get(FeedbackDraft.class, "d1").orElseThrow();
    assertThat(d.studentId()).isEqualTo("alice");
    assertThat(d.requestedBy()).isEqualTo("carol");
    assertThat(s.store().get(Grade.class, "sub1")).isEmpty();

    String edited = "Good structure; cite your sources (edited).";
    s.accept(new GradeSubmission("sub1", 8, edited, 0, "carol", s.now(), "d1"));
    Grade g = s.store().get(Grade.class, "sub1").orElseThrow();
    assertThat(g.aiAssisted()).isTrue();
    assertThat(g.feedback()).isEqualTo(edited);
    assertThat(
            s.store().get(GradeEvent.class, GradeEvent.idOf("sub1", 1)).orElseThrow().aiAssisted())
        .isTrue();

    // new points, same words: still AI-assisted
    s.accept(new GradeSubmission("sub1", 9, edited, 1, "carol", s.now(), null));
    assertThat(s.store().get(Grade.class, "sub1").orElseThrow().aiAssisted()).isTrue();
    // the instructor's own words: no longer
    s.accept(new GradeSubmission("sub1", 9, "My own words.", 2, "carol", s.now(), null));
    assertThat(s.store().get(Grade.class, "sub1").orElseThrow().aiAssisted()).isFalse();
  }

  @Test
  void aDraftApprovesOnlyItsOwnSubmission() {
    s.submission("sub1", "a1", "alice").submission("sub2", "a1", "bob");
    s.accept(draft("d1", "sub1", "carol"));
    assertThat(s.reject(new GradeSubmission("sub2", 5, "x", 0, "carol", s.now(), "d1")).reason())
        .isEqualTo(RejectionReason.DRAFT_OF_OTHER_SUBMISSION);
    assertThat(s.reject(new GradeSubmission("sub2", 5, "x", 0, "carol", s.now(), "nope")).reason())
        .isEqualTo(RejectionReason.UNKNOWN_DRAFT);
    assertThat(s.store().get(Grade.class, "sub2")).isEmpty();
  }
}

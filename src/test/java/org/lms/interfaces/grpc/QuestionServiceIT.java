package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Addressee;
import org.lms.interfaces.grpc.v1.Answer;
import org.lms.interfaces.grpc.v1.AnswerQuestionRequest;
import org.lms.interfaces.grpc.v1.AskQuestionRequest;
import org.lms.interfaces.grpc.v1.AuthorKind;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.ListAnswersRequest;
import org.lms.interfaces.grpc.v1.ListQuestionsRequest;
import org.lms.interfaces.grpc.v1.Question;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc.QuestionServiceBlockingStub;
import org.lms.interfaces.grpc.v1.QuestionStatus;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.QuestionService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class QuestionServiceIT {
  private static GrpcFixture api;
  private static Account instructor;
  private static Account student;
  private static Account classmate;
  private static Account outsider;
  private static Course course;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    student = api.newAccount(Role.ROLE_STUDENT);
    classmate = api.newAccount(Role.ROLE_STUDENT);
    outsider = api.newAccount(Role.ROLE_STUDENT);
    course = CourseServiceIT.newCourse(api, instructor);
    CourseServiceIT.enrol(api, course, student);
    CourseServiceIT.enrol(api, course, classmate);
  }

  @Test
  void aStudentAsksAndTheInstructorAnswers() {
    var asked =
        blocking(student).askQuestion(ask(Addressee.ADDRESSEE_INSTRUCTOR, "What is a term?"));
    Question q = asked.getQuestion();
    assertThat(q.getStatus()).isEqualTo(QuestionStatus.QUESTION_STATUS_OPEN);
    assertThat(q.getAskedBy()).isEqualTo(student.id());
    assertThat(q.hasAnsweredAt()).isFalse();

    var listed =
        blocking(instructor)
            .listQuestions(
                ListQuestionsRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(asked.getLogIndex()))
                    .build());
    assertThat(listed.getQuestionsList()).extracting(Question::getId).contains(q.getId());

    var answered =
        blocking(instructor)
            .answerQuestion(
                AnswerQuestionRequest.newBuilder()
                    .setQuestionId(q.getId())
                    .setText("A period with at most one leader.")
                    .build());
    assertThat(answered.getAnswer().getAuthorKind()).isEqualTo(AuthorKind.AUTHOR_KIND_INSTRUCTOR);
    assertThat(answered.getAnswer().getAuthorId()).isEqualTo(instructor.id());

    var answers =
        blocking(student)
            .listAnswers(ListAnswersRequest.newBuilder().setQuestionId(q.getId()).build())
            .getAnswersList();
    assertThat(answers)
        .extracting(Answer::getText)
        .containsExactly("A period with at most one leader.");
    var mine =
        blocking(student)
            .listQuestions(ListQuestionsRequest.newBuilder().setCourseId(course.getId()).build())
            .getQuestionsList();
    assertThat(mine)
        .filteredOn(x -> x.getId().equals(q.getId()))
        .singleElement()
        .extracting(Question::getStatus)
        .isEqualTo(QuestionStatus.QUESTION_STATUS_ANSWERED);
  }

  @Test
  void aQuestionForTheAiStaysOpenUntilAnswered() {
    Question q =
        blocking(student)
            .askQuestion(ask(Addressee.ADDRESSEE_AI, "Summarise week 1"))
            .getQuestion();

    assertThat(q.getAddressee()).isEqualTo(Addressee.ADDRESSEE_AI);
    assertThat(q.getStatus()).isEqualTo(QuestionStatus.QUESTION_STATUS_OPEN);
  }

  @Test
  void studentsSeeOnlyTheirOwnQuestions() {
    Question theirs =
        blocking(classmate).askQuestion(ask(Addressee.ADDRESSEE_INSTRUCTOR, "Mine?")).getQuestion();

    var mine =
        blocking(student)
            .listQuestions(ListQuestionsRequest.newBuilder().setCourseId(course.getId()).build())
            .getQuestionsList();
    assertThat(mine).allMatch(q -> q.getAskedBy().equals(student.id()));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(student)
                .listAnswers(
                    ListAnswersRequest.newBuilder().setQuestionId(theirs.getId()).build()));
  }

  @Test
  void askRejections() {
    failsWith(
        UNAUTHENTICATED,
        () ->
            QuestionServiceGrpc.newBlockingStub(api.channel())
                .askQuestion(ask(Addressee.ADDRESSEE_AI, "?")));
    failsWith(
        PERMISSION_DENIED, () -> blocking(outsider).askQuestion(ask(Addressee.ADDRESSEE_AI, "?")));
    invalid(
        "addressee",
        () -> blocking(student).askQuestion(ask(Addressee.ADDRESSEE_UNSPECIFIED, "?")));
    invalid(
        "addressee",
        () ->
            blocking(student)
                .askQuestion(
                    ask(Addressee.ADDRESSEE_AI, "?").toBuilder().setAddresseeValue(9).build()));
    invalid("text", () -> blocking(student).askQuestion(ask(Addressee.ADDRESSEE_AI, " ")));
    invalid(
        "text",
        () -> blocking(student).askQuestion(ask(Addressee.ADDRESSEE_AI, "x".repeat(10_001))));
    invalid(
        "course_id",
        () ->
            blocking(student)
                .askQuestion(ask(Addressee.ADDRESSEE_AI, "?").toBuilder().setCourseId("").build()));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(student)
                .askQuestion(
                    ask(Addressee.ADDRESSEE_AI, "?").toBuilder().setCourseId("nope").build()));
  }

  @Test
  void answerAndListRejections() {
    Question q =
        blocking(student).askQuestion(ask(Addressee.ADDRESSEE_INSTRUCTOR, "Why?")).getQuestion();
    var answer =
        AnswerQuestionRequest.newBuilder().setQuestionId(q.getId()).setText("Because.").build();
    var list = ListQuestionsRequest.newBuilder().setCourseId(course.getId()).build();

    failsWith(
        UNAUTHENTICATED,
        () -> QuestionServiceGrpc.newBlockingStub(api.channel()).answerQuestion(answer));
    failsWith(PERMISSION_DENIED, () -> blocking(student).answerQuestion(answer));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor).answerQuestion(answer.toBuilder().setQuestionId("nope").build()));
    invalid(
        "question_id",
        () -> blocking(instructor).answerQuestion(answer.toBuilder().setQuestionId("").build()));
    invalid(
        "text", () -> blocking(instructor).answerQuestion(answer.toBuilder().setText("").build()));
    failsWith(
        UNAUTHENTICATED,
        () -> QuestionServiceGrpc.newBlockingStub(api.channel()).listQuestions(list));
    failsWith(PERMISSION_DENIED, () -> blocking(outsider).listQuestions(list));
    failsWith(
        NOT_FOUND,
        () -> blocking(student).listQuestions(list.toBuilder().setCourseId("nope").build()));
    invalid(
        "question_id",
        () -> blocking(student).listAnswers(ListAnswersRequest.getDefaultInstance()));
    failsWith(
        UNAUTHENTICATED,
        () ->
            QuestionServiceGrpc.newBlockingStub(api.channel())
                .listAnswers(ListAnswersRequest.newBuilder().setQuestionId(q.getId()).build()));
  }

  private static AskQuestionRequest ask(Addressee addressee, String text) {
    return AskQuestionRequest.newBuilder()
        .setCourseId(course.getId())
        .setAddressee(addressee)
        .setText(text)
        .build();
  }

  private static QuestionServiceBlockingStub blocking(Account who) {
    return who.stub(QuestionServiceGrpc.newBlockingStub(api.channel()));
  }
}

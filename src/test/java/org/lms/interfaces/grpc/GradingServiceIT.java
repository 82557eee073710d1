package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.Grade;
import org.lms.interfaces.grpc.v1.GradeChange;
import org.lms.interfaces.grpc.v1.GradeEvent;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc.GradingServiceBlockingStub;
import org.lms.interfaces.grpc.v1.ListGradeHistoryRequest;
import org.lms.interfaces.grpc.v1.ListGradebookRequest;
import org.lms.interfaces.grpc.v1.ListMyGradesRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.ReleaseAssignmentGradesRequest;
import org.lms.interfaces.grpc.v1.ReleaseGradeRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.Submission;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.GradingService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class GradingServiceIT {
  private static GrpcFixture api;
  private static Account instructor;
  private static Account student;
  private static Course course;
  private static Assignment assignment;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    student = api.newAccount(Role.ROLE_STUDENT);
    course = CourseServiceIT.newCourse(api, instructor);
    CourseServiceIT.enrol(api, course, student);
    assignment =
        AssignmentServiceIT.create(
            api, instructor, AssignmentServiceIT.openAssignment(course.getId()).build());
  }

  static Grade grade(
      GrpcFixture api, Account grader, String submissionId, double points, long expected) {
    return grader
        .stub(GradingServiceGrpc.newBlockingStub(api.channel()))
        .gradeSubmission(gradeRequest(submissionId, points, expected))
        .getGrade();
  }

  @Test
  void gradesChangeByCompareAndSetAndReachTheStudentWhenReleased() {
    Submission s = SubmissionServiceIT.submit(api, student, assignment.getId(), new byte[] {1, 2});

    var first = blocking(instructor).gradeSubmission(gradeRequest(s.getId(), 70.5, 0));
    assertThat(first.getGrade().getVersion()).isEqualTo(1);
    assertThat(first.getGrade().getPoints()).isEqualTo(70.5);
    assertThat(first.getGrade().getReleased()).isFalse();
    var stale =
        failsWith(
            FAILED_PRECONDITION,
            () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), 90, 0)));
    assertThat(reason(stale)).isEqualTo("STALE_GRADE_VERSION");
    Grade second = grade(api, instructor, s.getId(), 90, 1);
    assertThat(second.getVersion()).isEqualTo(2);

    var get = GetGradeRequest.newBuilder().setSubmissionId(s.getId()).build();
    failsWith(NOT_FOUND, () -> blocking(student).getGrade(get));
    assertThat(
            blocking(student)
                .listMyGrades(ListMyGradesRequest.getDefaultInstance())
                .getGradesList())
        .noneMatch(g -> g.getSubmissionId().equals(s.getId()));
    assertThat(blocking(instructor).getGrade(get).getPoints()).isEqualTo(90);

    long released =
        blocking(instructor)
            .releaseGrade(ReleaseGradeRequest.newBuilder().setSubmissionId(s.getId()).build())
            .getLogIndex();

    var seen =
        blocking(student)
            .getGrade(
                get.toBuilder()
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(released))
                    .build());
    assertThat(seen.getReleased()).isTrue();
    assertThat(seen.getFeedback()).isEqualTo("Well argued.");
    assertThat(seen.hasReleasedAt()).isTrue();
    assertThat(
            blocking(student)
                .listMyGrades(ListMyGradesRequest.getDefaultInstance())
                .getGradesList())
        .anyMatch(g -> g.getSubmissionId().equals(s.getId()));

    var history =
        blocking(instructor)
            .listGradeHistory(
                ListGradeHistoryRequest.newBuilder().setSubmissionId(s.getId()).build())
            .getEventsList();
    assertThat(history)
        .extracting(GradeEvent::getChange)
        .containsExactly(
            GradeChange.GRADE_CHANGE_GRADED,
            GradeChange.GRADE_CHANGE_GRADED,
            GradeChange.GRADE_CHANGE_RELEASED);
    assertThat(history).extracting(GradeEvent::getVersion).containsExactly(1L, 2L, 3L);
    assertThat(history.get(0).getActorId()).isEqualTo(instructor.id());
  }

  @Test
  void gradeRejections() {
    Submission s = SubmissionServiceIT.submit(api, student, assignment.getId(), new byte[] {3});
    var other = api.newAccount(Role.ROLE_INSTRUCTOR);

    failsWith(
        UNAUTHENTICATED,
        () ->
            GradingServiceGrpc.newBlockingStub(api.channel())
                .gradeSubmission(gradeRequest(s.getId(), 1, 0)));
    failsWith(
        PERMISSION_DENIED, () -> blocking(student).gradeSubmission(gradeRequest(s.getId(), 1, 0)));
    failsWith(
        PERMISSION_DENIED, () -> blocking(other).gradeSubmission(gradeRequest(s.getId(), 1, 0)));
    var above =
        failsWith(
            FAILED_PRECONDITION,
            () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), 101, 0)));
    assertThat(reason(above)).isEqualTo("POINTS_ABOVE_MAXIMUM");
    invalid("points", () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), -1, 0)));
    invalid(
        "points",
        () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), Double.NaN, 0)));
    invalid(
        "points", () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), 1.234, 0)));
    invalid(
        "feedback",
        () ->
            blocking(instructor)
                .gradeSubmission(
                    gradeRequest(s.getId(), 1, 0).toBuilder()
                        .setFeedback("x".repeat(20_001))
                        .build()));
    invalid("submission_id", () -> blocking(instructor).gradeSubmission(gradeRequest("", 1, 0)));
    failsWith(NOT_FOUND, () -> blocking(instructor).gradeSubmission(gradeRequest("nope", 1, 0)));
    var stale =
        failsWith(
            FAILED_PRECONDITION,
            () -> blocking(instructor).gradeSubmission(gradeRequest(s.getId(), 1, 5)));
    assertThat(reason(stale)).isEqualTo("STALE_GRADE_VERSION");
  }

  @Test
  void releaseRejections() {
    Submission ungraded =
        SubmissionServiceIT.submit(api, student, assignment.getId(), new byte[] {4});
    var release = ReleaseGradeRequest.newBuilder().setSubmissionId(ungraded.getId()).build();

    failsWith(
        UNAUTHENTICATED,
        () -> GradingServiceGrpc.newBlockingStub(api.channel()).releaseGrade(release));
    failsWith(PERMISSION_DENIED, () -> blocking(student).releaseGrade(release));
    failsWith(NOT_FOUND, () -> blocking(instructor).releaseGrade(release));
    invalid(
        "submission_id",
        () -> blocking(instructor).releaseGrade(ReleaseGradeRequest.getDefaultInstance()));
    var all =
        ReleaseAssignmentGradesRequest.newBuilder().setAssignmentId(assignment.getId()).build();
    failsWith(PERMISSION_DENIED, () -> blocking(student).releaseAssignmentGrades(all));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor)
                .releaseAssignmentGrades(all.toBuilder().setAssignmentId("nope").build()));
    invalid(
        "assignment_id",
        () ->
            blocking(instructor)
                .releaseAssignmentGrades(ReleaseAssignmentGradesRequest.getDefaultInstance()));
  }

  @Test
  void theGradebookHoldsDraftsForInstructorsAndReleaseAllPublishesThem() {
    var teacher = api.newAccount(Role.ROLE_INSTRUCTOR);
    var pupil = api.newAccount(Role.ROLE_STUDENT);
    var small = CourseServiceIT.newCourse(api, teacher);
    CourseServiceIT.enrol(api, small, pupil);
    var task =
        AssignmentServiceIT.create(
            api, teacher, AssignmentServiceIT.openAssignment(small.getId()).build());
    Submission s = SubmissionServiceIT.submit(api, pupil, task.getId(), new byte[] {5});
    grade(api, teacher, s.getId(), 42, 0);
    var book = ListGradebookRequest.newBuilder().setCourseId(small.getId()).build();

    var drafts = blocking(teacher).listGradebook(book).getGradesList();
    assertThat(drafts).extracting(Grade::getSubmissionId).containsExactly(s.getId());
    assertThat(drafts.get(0).getReleased()).isFalse();

    long released =
        blocking(teacher)
            .releaseAssignmentGrades(
                ReleaseAssignmentGradesRequest.newBuilder().setAssignmentId(task.getId()).build())
            .getLogIndex();
    var mine =
        blocking(pupil)
            .listMyGrades(
                ListMyGradesRequest.newBuilder()
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(released))
                    .build());
    assertThat(mine.getGradesList()).extracting(Grade::getPoints).containsExactly(42.0);

    failsWith(
        UNAUTHENTICATED,
        () -> GradingServiceGrpc.newBlockingStub(api.channel()).listGradebook(book));
    failsWith(PERMISSION_DENIED, () -> blocking(pupil).listGradebook(book));
    // administrators read it too (they see every grade's history), without teaching the course
    assertThat(
            GrpcFixture.as(api.adminToken(), GradingServiceGrpc.newBlockingStub(api.channel()))
                .listGradebook(book)
                .getGradesList())
        .extracting(Grade::getSubmissionId)
        .containsExactly(s.getId());
    failsWith(
        NOT_FOUND,
        () -> blocking(teacher).listGradebook(book.toBuilder().setCourseId("nope").build()));
    invalid(
        "course_id",
        () -> blocking(teacher).listGradebook(ListGradebookRequest.getDefaultInstance()));
    invalid(
        "page_size",
        () ->
            blocking(pupil).listMyGrades(ListMyGradesRequest.newBuilder().setPageSize(-5).build()));
    failsWith(
        UNAUTHENTICATED,
        () ->
            GradingServiceGrpc.newBlockingStub(api.channel())
                .listMyGrades(ListMyGradesRequest.getDefaultInstance()));
  }

  @Test
  void historyIsForInstructorsOfTheCourse() {
    Submission s = SubmissionServiceIT.submit(api, student, assignment.getId(), new byte[] {6});
    grade(api, instructor, s.getId(), 10, 0);
    var history = ListGradeHistoryRequest.newBuilder().setSubmissionId(s.getId()).build();

    assertThat(
            GrpcFixture.as(api.adminToken(), GradingServiceGrpc.newBlockingStub(api.channel()))
                .listGradeHistory(history)
                .getEventsCount())
        .isEqualTo(1);
    failsWith(
        UNAUTHENTICATED,
        () -> GradingServiceGrpc.newBlockingStub(api.channel()).listGradeHistory(history));
    failsWith(PERMISSION_DENIED, () -> blocking(student).listGradeHistory(history));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor)
                .listGradeHistory(history.toBuilder().setSubmissionId("nope").build()));
    invalid(
        "submission_id",
        () -> blocking(instructor).listGradeHistory(ListGradeHistoryRequest.getDefaultInstance()));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor)
                .getGrade(GetGradeRequest.newBuilder().setSubmissionId("nope").build()));
  }

  private static GradeSubmissionRequest gradeRequest(
      String submissionId, double points, long expected) {
    return GradeSubmissionRequest.newBuilder()
        .setSubmissionId(submissionId)
        .setPoints(points)
        .setFeedback("Well argued.")
        .setExpectedVersion(expected)
        .build();
  }

  private static GradingServiceBlockingStub blocking(Account who) {
    return who.stub(GradingServiceGrpc.newBlockingStub(api.channel()));
  }
}

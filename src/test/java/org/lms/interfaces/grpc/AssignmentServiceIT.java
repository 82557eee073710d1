package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc.AssignmentServiceBlockingStub;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.GetAssignmentRequest;
import org.lms.interfaces.grpc.v1.ListAssignmentsRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UpdateAssignmentRequest;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.AssignmentService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class AssignmentServiceIT {
  private static GrpcFixture api;
  private static Account instructor;
  private static Account student;
  private static Account outsider;
  private static Course course;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    student = api.newAccount(Role.ROLE_STUDENT);
    outsider = api.newAccount(Role.ROLE_STUDENT);
    course = CourseServiceIT.newCourse(api, instructor);
    CourseServiceIT.enrol(api, course, student);
  }

  static Timestamp at(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** An assignment open now, due in a day, cut off in two. */
  static CreateAssignmentRequest.Builder openAssignment(String courseId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return CreateAssignmentRequest.newBuilder()
        .setCourseId(courseId)
        .setTitle("Essay")
        .setDescription("Write about Raft.")
        .setOpensAt(at(now.minus(Duration.ofHours(1))))
        .setDueAt(at(now.plus(Duration.ofDays(1))))
        .setCutoffAt(at(now.plus(Duration.ofDays(2))))
        .setMaxPoints(100);
  }

  static Assignment create(GrpcFixture api, Account instructor, CreateAssignmentRequest request) {
    return instructor
        .stub(AssignmentServiceGrpc.newBlockingStub(api.channel()))
        .createAssignment(request)
        .getAssignment();
  }

  @Test
  void anInstructorSetsAnAssignmentThatStudentsSee() {
    var request = openAssignment(course.getId()).build();

    var created = blocking(instructor).createAssignment(request);

    Assignment a = created.getAssignment();
    assertThat(a.getTitle()).isEqualTo("Essay");
    assertThat(a.getDueAt()).isEqualTo(request.getDueAt());
    assertThat(a.getMaxPoints()).isEqualTo(100);
    assertThat(a.getCreatedBy()).isEqualTo(instructor.id());
    var listed =
        blocking(student)
            .listAssignments(
                ListAssignmentsRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setReadOptions(CourseServiceIT.atLeast(created.getLogIndex()))
                    .build());
    assertThat(listed.getAssignmentsList()).contains(a);
    assertThat(
            blocking(student)
                .getAssignment(
                    GetAssignmentRequest.newBuilder().setAssignmentId(a.getId()).build()))
        .isEqualTo(a);
  }

  @Test
  void createAssignmentRejections() {
    var request = openAssignment(course.getId()).build();

    failsWith(
        UNAUTHENTICATED,
        () -> AssignmentServiceGrpc.newBlockingStub(api.channel()).createAssignment(request));
    failsWith(PERMISSION_DENIED, () -> blocking(student).createAssignment(request));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor).createAssignment(request.toBuilder().setCourseId("nope").build()));
    invalid(
        "course_id",
        () -> blocking(instructor).createAssignment(request.toBuilder().setCourseId("").build()));
    invalid(
        "title",
        () -> blocking(instructor).createAssignment(request.toBuilder().setTitle("").build()));
    invalid(
        "due_at",
        () -> blocking(instructor).createAssignment(request.toBuilder().clearDueAt().build()));
    invalid(
        "due_at",
        () ->
            blocking(instructor)
                .createAssignment(request.toBuilder().setDueAt(request.getOpensAt()).build()));
    invalid(
        "cutoff_at",
        () ->
            blocking(instructor)
                .createAssignment(
                    request.toBuilder()
                        .setCutoffAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))
                        .build()));
    invalid(
        "max_points",
        () -> blocking(instructor).createAssignment(request.toBuilder().setMaxPoints(0).build()));
  }

  @Test
  void anInstructorUpdatesEveryField() {
    Assignment a = create(api, instructor, openAssignment(course.getId()).build());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    var update =
        UpdateAssignmentRequest.newBuilder()
            .setAssignmentId(a.getId())
            .setTitle("Essay, revised")
            .setDescription("")
            .setOpensAt(a.getOpensAt())
            .setDueAt(at(now.plus(Duration.ofDays(3))))
            .setCutoffAt(at(now.plus(Duration.ofDays(4))))
            .setMaxPoints(50)
            .build();

    var updated = blocking(instructor).updateAssignment(update).getAssignment();

    assertThat(updated.getTitle()).isEqualTo("Essay, revised");
    assertThat(updated.getDescription()).isEmpty();
    assertThat(updated.getMaxPoints()).isEqualTo(50);
    assertThat(updated.getDueAt()).isEqualTo(update.getDueAt());
    assertThat(updated.getCreatedAt()).isEqualTo(a.getCreatedAt());

    failsWith(
        UNAUTHENTICATED,
        () -> AssignmentServiceGrpc.newBlockingStub(api.channel()).updateAssignment(update));
    failsWith(PERMISSION_DENIED, () -> blocking(student).updateAssignment(update));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor)
                .updateAssignment(
                    update.toBuilder().setAssignmentId("no-such-assignment").build()));
    invalid(
        "assignment_id",
        () ->
            blocking(instructor).updateAssignment(update.toBuilder().setAssignmentId("").build()));
    invalid(
        "opens_at",
        () ->
            blocking(instructor)
                .updateAssignment(
                    update.toBuilder().setOpensAt(Timestamp.newBuilder().setNanos(-1)).build()));
  }

  @Test
  void maxPointsCannotDropBelowAGivenGrade() {
    Assignment a = create(api, instructor, openAssignment(course.getId()).build());
    var submission = SubmissionServiceIT.submit(api, student, a.getId(), "essay".getBytes());
    GradingServiceIT.grade(api, instructor, submission.getId(), 80, 0);

    failsWith(
        FAILED_PRECONDITION,
        () ->
            blocking(instructor)
                .updateAssignment(
                    UpdateAssignmentRequest.newBuilder()
                        .setAssignmentId(a.getId())
                        .setTitle(a.getTitle())
                        .setOpensAt(a.getOpensAt())
                        .setDueAt(a.getDueAt())
                        .setCutoffAt(a.getCutoffAt())
                        .setMaxPoints(10)
                        .build()));
  }

  @Test
  void assignmentsAreForMembersAndPaged() {
    var teacher = api.newAccount(Role.ROLE_INSTRUCTOR);
    var small = CourseServiceIT.newCourse(api, teacher);
    var ids = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          create(api, teacher, openAssignment(small.getId()).setTitle("A" + i).build()).getId());
    }
    var list =
        ListAssignmentsRequest.newBuilder().setCourseId(small.getId()).setPageSize(2).build();

    var first = blocking(teacher).listAssignments(list);
    var second =
        blocking(teacher)
            .listAssignments(list.toBuilder().setPageToken(first.getNextPageToken()).build());

    assertThat(first.getAssignmentsCount()).isEqualTo(2);
    assertThat(second.getNextPageToken()).isEmpty();
    var seen = new ArrayList<String>();
    first.getAssignmentsList().forEach(x -> seen.add(x.getId()));
    second.getAssignmentsList().forEach(x -> seen.add(x.getId()));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    failsWith(
        UNAUTHENTICATED,
        () -> AssignmentServiceGrpc.newBlockingStub(api.channel()).listAssignments(list));
    failsWith(PERMISSION_DENIED, () -> blocking(outsider).listAssignments(list));
    failsWith(
        PERMISSION_DENIED,
        () ->
            blocking(outsider)
                .getAssignment(
                    GetAssignmentRequest.newBuilder().setAssignmentId(ids.get(0)).build()));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(teacher)
                .getAssignment(GetAssignmentRequest.newBuilder().setAssignmentId("nope").build()));
    invalid(
        "assignment_id",
        () -> blocking(teacher).getAssignment(GetAssignmentRequest.getDefaultInstance()));
    invalid(
        "page_token",
        () -> blocking(teacher).listAssignments(list.toBuilder().setPageToken("cDE6MTox").build()));
  }

  private static AssignmentServiceBlockingStub blocking(Account who) {
    return who.stub(AssignmentServiceGrpc.newBlockingStub(api.channel()));
  }
}

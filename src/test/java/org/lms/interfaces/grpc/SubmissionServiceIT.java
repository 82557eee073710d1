package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.RESOURCE_EXHAUSTED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.AssignmentServiceIT.at;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;
import static org.lms.interfaces.grpc.Uploads.chunks;
import static org.lms.interfaces.grpc.Uploads.randomBytes;
import static org.lms.interfaces.grpc.Uploads.sha256;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.DownloadSubmissionRequest;
import org.lms.interfaces.grpc.v1.GetSubmissionRequest;
import org.lms.interfaces.grpc.v1.ListSubmissionVersionsRequest;
import org.lms.interfaces.grpc.v1.ListSubmissionsRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.Submission;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc.SubmissionServiceBlockingStub;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.SubmitAssignmentResponse;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.SubmissionService against a real three-peer cluster with replicated blob stores. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class SubmissionServiceIT {
  private static GrpcFixture api;
  private static Account instructor;
  private static Account student;
  private static Account classmate;
  private static Account outsider;
  private static Course course;
  private static Assignment open;

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
    open =
        AssignmentServiceIT.create(
            api, instructor, AssignmentServiceIT.openAssignment(course.getId()).build());
  }

  /** Hands in {@code bytes} for {@code assignmentId} as {@code who}. */
  static Submission submit(GrpcFixture api, Account who, String assignmentId, byte[] bytes) {
    return send(
            api, who, header(assignmentId).setSha256(sha256(bytes)).build(), chunks(bytes, 4096))
        .getSubmission();
  }

  @Test
  void aStudentHandsInVersionsThatInstructorsSee() {
    byte[] first = randomBytes(30_000, 40);
    byte[] second = randomBytes(20_000, 41);

    var v1 =
        send(
            api,
            student,
            header(open.getId()).setSha256(sha256(first)).build(),
            chunks(first, 8192));
    Submission v2 = submit(api, student, open.getId(), second);
    Submission other = submit(api, classmate, open.getId(), randomBytes(100, 42));

    assertThat(v1.getSubmission().getVersion()).isEqualTo(1);
    assertThat(v1.getSubmission().getSha256()).isEqualTo(sha256(first));
    assertThat(v1.getSubmission().getSizeBytes()).isEqualTo(first.length);
    assertThat(v1.getSubmission().getLate()).isFalse();
    assertThat(v1.getLogIndex()).isPositive();
    assertThat(v2.getVersion()).isEqualTo(2);
    assertThat(api.spoolFiles()).isEmpty();

    var all =
        blocking(instructor)
            .listSubmissions(
                ListSubmissionsRequest.newBuilder().setAssignmentId(open.getId()).build())
            .getSubmissionsList();
    assertThat(all)
        .extracting(Submission::getId)
        .contains(v1.getSubmission().getId(), v2.getId(), other.getId());
    var own =
        blocking(student)
            .listSubmissions(
                ListSubmissionsRequest.newBuilder().setAssignmentId(open.getId()).build())
            .getSubmissionsList();
    assertThat(own).allMatch(s -> s.getStudentId().equals(student.id())).hasSize(2);

    var history =
        blocking(instructor)
            .listSubmissionVersions(
                ListSubmissionVersionsRequest.newBuilder()
                    .setAssignmentId(open.getId())
                    .setStudentId(student.id())
                    .build())
            .getSubmissionsList();
    assertThat(history).extracting(Submission::getVersion).containsExactly(1, 2);
    var mine =
        blocking(student)
            .listSubmissionVersions(
                ListSubmissionVersionsRequest.newBuilder().setAssignmentId(open.getId()).build())
            .getSubmissionsList();
    assertThat(mine).isEqualTo(history);

    assertThat(download(instructor, v2.getId())).isEqualTo(second);
    assertThat(download(student, v1.getSubmission().getId())).isEqualTo(first);
    assertThat(
            blocking(student)
                .getSubmission(
                    GetSubmissionRequest.newBuilder().setSubmissionId(v2.getId()).build()))
        .isEqualTo(v2);
  }

  @Test
  void theClientHashIsRequiredAndChecked() {
    byte[] bytes = randomBytes(3000, 43);

    invalid("sha256", () -> send(api, student, header(open.getId()).build(), chunks(bytes, 1000)));
    invalid(
        "sha256",
        () ->
            send(
                api,
                student,
                header(open.getId()).setSha256(sha256(randomBytes(5, 44))).build(),
                chunks(bytes, 1000)));

    assertThat(api.spoolFiles()).isEmpty();
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
  }

  @Test
  void afterTheCutOffNothingIsAccepted() {
    Instant now = Instant.now();
    var closed =
        AssignmentServiceIT.create(
            api,
            instructor,
            AssignmentServiceIT.openAssignment(course.getId())
                .setOpensAt(at(now.minus(Duration.ofDays(3))))
                .setDueAt(at(now.minus(Duration.ofDays(2))))
                .setCutoffAt(at(now.minus(Duration.ofDays(1))))
                .build());
    byte[] bytes = randomBytes(1000, 45);

    var e = failsWith(FAILED_PRECONDITION, () -> submit(api, student, closed.getId(), bytes));

    assertThat(reason(e)).isEqualTo("SUBMISSION_AFTER_CUTOFF");
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
  }

  @Test
  void beforeItOpensNothingIsAcceptedAndAfterTheDueDateItIsLate() {
    Instant now = Instant.now();
    var future =
        AssignmentServiceIT.create(
            api,
            instructor,
            AssignmentServiceIT.openAssignment(course.getId())
                .setOpensAt(at(now.plus(Duration.ofDays(1))))
                .setDueAt(at(now.plus(Duration.ofDays(2))))
                .setCutoffAt(at(now.plus(Duration.ofDays(3))))
                .build());
    var overdue =
        AssignmentServiceIT.create(
            api,
            instructor,
            AssignmentServiceIT.openAssignment(course.getId())
                .setOpensAt(at(now.minus(Duration.ofDays(2))))
                .setDueAt(at(now.minus(Duration.ofDays(1))))
                .setCutoffAt(at(now.plus(Duration.ofDays(1))))
                .build());

    var e =
        failsWith(FAILED_PRECONDITION, () -> submit(api, student, future.getId(), new byte[] {1}));
    assertThat(reason(e)).isEqualTo("ASSIGNMENT_NOT_OPEN");
    assertThat(submit(api, student, overdue.getId(), new byte[] {2}).getLate()).isTrue();
  }

  @Test
  void submitRejections() {
    byte[] bytes = randomBytes(100, 46);
    byte[] huge = randomBytes((int) api.maxUploadBytes() + 1, 47);

    failsWith(
        UNAUTHENTICATED,
        () ->
            Uploads.send(
                SubmissionServiceGrpc.newStub(api.channel())::submitAssignment,
                List.of(
                    SubmitAssignmentRequest.newBuilder().setHeader(header(open.getId())).build())));
    failsWith(PERMISSION_DENIED, () -> submit(api, outsider, open.getId(), bytes));
    failsWith(NOT_FOUND, () -> submit(api, student, "no-such-assignment", bytes));
    invalid("assignment_id", () -> submit(api, student, "", bytes));
    invalid(
        "file_name",
        () ->
            send(
                api,
                student,
                header(open.getId()).setFileName("").setSha256(sha256(bytes)).build(),
                chunks(bytes, 10)));
    failsWith(
        RESOURCE_EXHAUSTED,
        () ->
            send(
                api,
                student,
                header(open.getId()).setSha256(sha256(huge)).build(),
                chunks(huge, 65536)));
    assertThat(api.anyPeerHolds(sha256(huge))).isFalse();
    assertThat(api.spoolFiles()).isEmpty();
  }

  @Test
  void studentsSeeOnlyTheirOwnWork() {
    Submission theirs = submit(api, classmate, open.getId(), randomBytes(10, 48));
    var list = ListSubmissionsRequest.newBuilder().setAssignmentId(open.getId()).build();
    var versions =
        ListSubmissionVersionsRequest.newBuilder()
            .setAssignmentId(open.getId())
            .setStudentId(classmate.id())
            .build();

    failsWith(
        NOT_FOUND,
        () ->
            blocking(student)
                .getSubmission(
                    GetSubmissionRequest.newBuilder().setSubmissionId(theirs.getId()).build()));
    failsWith(NOT_FOUND, () -> download(student, theirs.getId()));
    failsWith(PERMISSION_DENIED, () -> blocking(student).listSubmissionVersions(versions));
    failsWith(PERMISSION_DENIED, () -> blocking(outsider).listSubmissions(list));
    failsWith(
        UNAUTHENTICATED,
        () -> SubmissionServiceGrpc.newBlockingStub(api.channel()).listSubmissions(list));
    failsWith(
        NOT_FOUND,
        () ->
            blocking(instructor).listSubmissions(list.toBuilder().setAssignmentId("nope").build()));
    invalid(
        "student_id",
        () ->
            blocking(instructor)
                .listSubmissionVersions(versions.toBuilder().setStudentId("a b").build()));
    invalid("submission_id", () -> download(instructor, ""));
    invalid(
        "assignment_id",
        () -> blocking(instructor).listSubmissions(ListSubmissionsRequest.getDefaultInstance()));
  }

  private static SubmissionHeader.Builder header(String assignmentId) {
    return SubmissionHeader.newBuilder()
        .setAssignmentId(assignmentId)
        .setFileName("essay.pdf")
        .setMediaType("application/pdf");
  }

  private static SubmitAssignmentResponse send(
      GrpcFixture api, Account who, SubmissionHeader header, List<ByteString> chunks) {
    var messages = new ArrayList<SubmitAssignmentRequest>();
    messages.add(SubmitAssignmentRequest.newBuilder().setHeader(header).build());
    chunks.forEach(c -> messages.add(SubmitAssignmentRequest.newBuilder().setChunk(c).build()));
    return Uploads.send(
        who.stub(SubmissionServiceGrpc.newStub(api.channel()))::submitAssignment, messages);
  }

  private static byte[] download(Account who, String submissionId) {
    var stream =
        blocking(who)
            .downloadSubmission(
                DownloadSubmissionRequest.newBuilder().setSubmissionId(submissionId).build());
    var bytes = new ByteArrayOutputStream();
    boolean described = false;
    while (stream.hasNext()) {
      var next = stream.next();
      if (next.hasSubmission()) {
        described = true;
        assertThat(next.getSubmission().getId()).isEqualTo(submissionId);
      } else {
        assertThat(described).as("the description comes first").isTrue();
        bytes.writeBytes(next.getChunk().toByteArray());
      }
    }
    return bytes.toByteArray();
  }

  private static SubmissionServiceBlockingStub blocking(Account who) {
    return who.stub(SubmissionServiceGrpc.newBlockingStub(api.channel()));
  }
}

package org.lms.bench;

import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUserResult;
import org.lms.interfaces.grpc.v1.CreateUsersRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;

/**
 * The gRPC side of the benchmark: one channel per node ({@link ClusterChannels}), shared by every
 * client pinned to that node, and the data set created through the public API only (an instructor,
 * a course, an open assignment, students enrolled, one submission each).
 */
final class GrpcFixture implements AutoCloseable {
  private static final Duration SETUP_DEADLINE = Duration.ofSeconds(120);

  private final ClusterChannels channels;

  /** The first administrator's session token (through node 1). */
  String adminToken;

  /** The instructor's session token: every client grades and reads as the course's instructor. */
  String instructorToken;

  String courseId;

  /** The open assignment every student handed in to. */
  String assignmentId;

  /** Submission {@code i} belongs to student {@code i}; client {@code i} grades only it. */
  final List<String> submissions = new ArrayList<>();

  /** Student {@code i}'s session token, from the login it handed in with. */
  final List<String> studentTokens = new ArrayList<>();

  /** The highest Raft log index any setup write answered with. */
  long lastIndex;

  GrpcFixture(ClusterProcesses cluster) {
    channels = new ClusterChannels(cluster);
  }

  ManagedChannel channel(int node) {
    return channels.node(node);
  }

  /**
   * Creates the data set through the API. Accounts and logins hash passwords (PBKDF2, 600,000
   * iterations) on the accepting node, so they are spread over the three nodes in parallel.
   */
  void create(String adminPassword, int students) throws Exception {
    String admin = login(1, "admin", adminPassword);
    adminToken = admin;
    String instructorId =
        deadline(as(admin, UserServiceGrpc.newBlockingStub(channel(1))))
            .createUser(
                CreateUserRequest.newBuilder()
                    .setUsername("carol")
                    .setDisplayName("Carol Bench")
                    .setRole(Role.ROLE_INSTRUCTOR)
                    .setPassword("carol-password-1")
                    .build())
            .getUser()
            .getId();
    var course =
        deadline(as(admin, CourseServiceGrpc.newBlockingStub(channel(1))))
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("BENCH-1")
                    .setTitle("gRPC benchmark")
                    .addInstructorIds(instructorId)
                    .build());
    courseId = course.getCourse().getId();
    instructorToken = login(1, "carol", "carol-password-1");
    Instant now = Instant.now();
    var assignment =
        deadline(as(instructorToken, AssignmentServiceGrpc.newBlockingStub(channel(1))))
            .createAssignment(
                CreateAssignmentRequest.newBuilder()
                    .setCourseId(courseId)
                    .setTitle("Benchmark")
                    .setOpensAt(timestamp(now.minusSeconds(60)))
                    .setDueAt(timestamp(now.plus(Duration.ofDays(30))))
                    .setCutoffAt(timestamp(now.plus(Duration.ofDays(31))))
                    .setMaxPoints(100)
                    .build());
    assignmentId = assignment.getAssignment().getId();
    note(assignment.getLogIndex());

    // accounts in one CreateUsers call per node, the three calls at once
    int perNode = (students + ClusterProcesses.SIZE - 1) / ClusterProcesses.SIZE;
    ExecutorService pool = Executors.newFixedThreadPool(2 * ClusterProcesses.SIZE);
    try {
      var batches = new ArrayList<Future<List<String>>>();
      for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
        int from = (node - 1) * perNode;
        int to = Math.min(students, from + perNode);
        int n = node;
        batches.add(pool.submit(() -> createStudents(admin, n, from, to)));
      }
      var studentIds = new ArrayList<String>();
      for (var batch : batches) {
        studentIds.addAll(batch.get());
      }
      // enrol, sign in and hand in, each student through "their" node
      var handedIn = new ArrayList<Future<HandedIn>>();
      for (int i = 0; i < students; i++) {
        int student = i;
        handedIn.add(
            pool.submit(
                () -> handIn(student, studentIds.get(student), assignmentId, 1 + student % 3)));
      }
      for (var student : handedIn) {
        submissions.add(student.get().submissionId());
        studentTokens.add(student.get().token());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> createStudents(String admin, int node, int from, int to) {
    var request = CreateUsersRequest.newBuilder();
    for (int i = from; i < to; i++) {
      request.addUsers(
          CreateUserRequest.newBuilder()
              .setUsername(studentName(i))
              .setDisplayName("Student " + i)
              .setRole(Role.ROLE_STUDENT)
              .setPassword(studentPassword(i)));
    }
    var response =
        deadline(as(admin, UserServiceGrpc.newBlockingStub(channel(node))))
            .createUsers(request.build());
    note(response.getLogIndex());
    var ids = new ArrayList<String>();
    for (CreateUserResult result : response.getResultsList()) {
      if (!result.hasUser()) {
        throw new IllegalStateException("student not created: " + result.getError());
      }
      ids.add(result.getUser().getId());
    }
    return ids;
  }

  /** A student's session and the submission they handed in with it. */
  private record HandedIn(String token, String submissionId) {}

  private HandedIn handIn(int i, String studentId, String assignmentId, int node) throws Exception {
    note(
        deadline(as(instructorToken, CourseServiceGrpc.newBlockingStub(channel(node))))
            .enrol(EnrolRequest.newBuilder().setCourseId(courseId).setStudentId(studentId).build())
            .getLogIndex());
    String token = login(node, studentName(i), studentPassword(i));
    byte[] bytes = ("benchmark work of student " + i + "\n").getBytes(StandardCharsets.UTF_8);
    SubmitAssignmentResponse submitted =
        Uploads.send(
            deadline(as(token, SubmissionServiceGrpc.newStub(channel(node))))::submitAssignment,
            Uploads.handIn(assignmentId, "work-" + i + ".txt", "text/plain", bytes),
            SETUP_DEADLINE);
    note(submitted.getLogIndex());
    return new HandedIn(token, submitted.getSubmission().getId());
  }

  String login(int node, String username, String password) {
    return deadline(AuthServiceGrpc.newBlockingStub(channel(node)))
        .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
        .getToken();
  }

  synchronized void note(long logIndex) {
    lastIndex = Math.max(lastIndex, logIndex);
  }

  static <S extends AbstractStub<S>> S deadline(S stub) {
    return stub.withDeadlineAfter(SETUP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  static String studentName(int i) {
    return String.format("student%03d", i);
  }

  static String studentPassword(int i) {
    return "student-password-" + i;
  }

  static Timestamp timestamp(Instant instant) {
    // the LMS keeps instants to the millisecond
    long millis = instant.toEpochMilli();
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(millis, 1000))
        .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000)
        .build();
  }

  @Override
  public void close() {
    channels.close();
  }
}

package org.lms.bench;

import static org.lms.bench.GrpcFixture.deadline;
import static org.lms.bench.GrpcFixture.timestamp;
import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.Addressee;
import org.lms.interfaces.grpc.v1.AnswerQuestionRequest;
import org.lms.interfaces.grpc.v1.AskQuestionRequest;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUserResult;
import org.lms.interfaces.grpc.v1.CreateUsersRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.ReleaseAssignmentGradesRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SetInstructorRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterProcesses;

/**
 * The portal benchmark's data set, made through the public gRPC API on top of {@link GrpcFixture}'s
 * (a course, an open assignment, students enrolled with one submission each): more instructors of
 * the course, published material, a second assignment still to hand in, every submission graded and
 * the grades released, and questions of students, some answered. So every page shows what a term in
 * progress shows.
 */
final class PortalFixture {
  /** Material files published in the course (64 KiB each). */
  static final int MATERIALS = 4;

  private static final int MATERIAL_BYTES = 64 * 1024;

  /** Students who ask a question; every second one is answered. */
  static final int QUESTIONS = 12;

  private final GrpcFixture api;

  /** The usernames of the course's instructors; the first is {@link GrpcFixture}'s. */
  final List<String> instructors = new ArrayList<>();

  /** The assignment due later, without submissions. */
  String nextAssignmentId;

  PortalFixture(GrpcFixture api) {
    this.api = api;
  }

  /** Creates everything; {@code instructors} counts the one {@link GrpcFixture} creates. */
  void create(String adminPassword, int students, int instructors) throws Exception {
    api.create(adminPassword, students);
    this.instructors.add("carol");
    addInstructors(instructors - 1);
    publishMaterial();
    Instant now = Instant.now();
    var next =
        deadline(as(api.instructorToken, AssignmentServiceGrpc.newBlockingStub(api.channel(2))))
            .createAssignment(
                CreateAssignmentRequest.newBuilder()
                    .setCourseId(api.courseId)
                    .setTitle("Essay 2: replication")
                    .setDescription(
                        "Explain in 1,000 words why a majority of the nodes must store a write"
                            + " before it is acknowledged.")
                    .setOpensAt(timestamp(now.minusSeconds(60)))
                    .setDueAt(timestamp(now.plus(Duration.ofDays(14))))
                    .setCutoffAt(timestamp(now.plus(Duration.ofDays(15))))
                    .setMaxPoints(50)
                    .build());
    nextAssignmentId = next.getAssignment().getId();
    api.note(next.getLogIndex());
    gradeAndRelease();
    askAndAnswer();
  }

  static String instructorPassword(String username) {
    return username + "-password-1";
  }

  private void addInstructors(int count) {
    if (count <= 0) {
      return;
    }
    var request = CreateUsersRequest.newBuilder();
    for (int i = 1; i <= count; i++) {
      String username = String.format("instructor%02d", i);
      request.addUsers(
          CreateUserRequest.newBuilder()
              .setUsername(username)
              .setDisplayName("Teaching Assistant " + i)
              .setRole(Role.ROLE_INSTRUCTOR)
              .setPassword(instructorPassword(username)));
      instructors.add(username);
    }
    var created =
        deadline(as(api.adminToken, UserServiceGrpc.newBlockingStub(api.channel(1))))
            .createUsers(request.build());
    api.note(created.getLogIndex());
    var courses = deadline(as(api.adminToken, CourseServiceGrpc.newBlockingStub(api.channel(1))));
    for (CreateUserResult result : created.getResultsList()) {
      if (!result.hasUser()) {
        throw new IllegalStateException("instructor not created: " + result.getError());
      }
      api.note(
          courses
              .setInstructor(
                  SetInstructorRequest.newBuilder()
                      .setCourseId(api.courseId)
                      .setInstructorId(result.getUser().getId())
                      .setAssigned(true)
                      .build())
              .getLogIndex());
    }
  }

  private void publishMaterial() {
    String[] titles = {"Syllabus", "Lecture 1: logs", "Lecture 2: elections", "Reading list"};
    for (int i = 0; i < MATERIALS; i++) {
      byte[] bytes = Uploads.randomBytes(MATERIAL_BYTES, i);
      var header =
          UploadMaterialRequest.newBuilder()
              .setHeader(
                  MaterialHeader.newBuilder()
                      .setCourseId(api.courseId)
                      .setTitle(titles[i % titles.length])
                      .setFileName("material-" + i + ".pdf")
                      .setMediaType("application/pdf")
                      .setSha256(Uploads.sha256(bytes)))
              .build();
      var chunk = UploadMaterialRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build();
      int node = 1 + i % ClusterProcesses.SIZE;
      var published =
          Uploads.send(
              deadline(as(api.instructorToken, MaterialServiceGrpc.newStub(api.channel(node))))
                  ::uploadMaterial,
              List.of(header, chunk));
      api.note(published.getLogIndex());
    }
  }

  /** One grade per submission, written through the three nodes at once; then all released. */
  private void gradeAndRelease() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2 * ClusterProcesses.SIZE);
    try {
      var graded = new ArrayList<Future<?>>();
      for (int i = 0; i < api.submissions.size(); i++) {
        int student = i;
        graded.add(
            pool.submit(
                () ->
                    api.note(
                        deadline(
                                as(
                                    api.instructorToken,
                                    GradingServiceGrpc.newBlockingStub(
                                        api.channel(1 + student % ClusterProcesses.SIZE))))
                            .gradeSubmission(
                                GradeSubmissionRequest.newBuilder()
                                    .setSubmissionId(api.submissions.get(student))
                                    .setPoints(55 + student % 46)
                                    .setFeedback(
                                        "Clear structure; the argument in part "
                                            + (1 + student % 3)
                                            + " needs a source.")
                                    .setExpectedVersion(0)
                                    .build())
                            .getLogIndex())));
      }
      for (var grade : graded) {
        grade.get();
      }
    } finally {
      pool.shutdownNow();
    }
    api.note(
        deadline(as(api.instructorToken, GradingServiceGrpc.newBlockingStub(api.channel(1))))
            .releaseAssignmentGrades(
                ReleaseAssignmentGradesRequest.newBuilder()
                    .setAssignmentId(api.assignmentId)
                    .build())
            .getLogIndex());
  }

  private void askAndAnswer() {
    int askers = Math.min(QUESTIONS, api.studentTokens.size());
    for (int i = 0; i < askers; i++) {
      int node = 1 + i % ClusterProcesses.SIZE;
      var asked =
          deadline(
                  as(
                      api.studentTokens.get(i),
                      QuestionServiceGrpc.newBlockingStub(api.channel(node))))
              .askQuestion(
                  AskQuestionRequest.newBuilder()
                      .setCourseId(api.courseId)
                      .setAddressee(Addressee.ADDRESSEE_INSTRUCTOR)
                      .setText(
                          "Question "
                              + i
                              + ": does a follower that missed a write catch up from the"
                              + " leader's log or from a snapshot?")
                      .build());
      api.note(asked.getLogIndex());
      if (i % 2 == 0) {
        api.note(
            deadline(
                    as(api.instructorToken, QuestionServiceGrpc.newBlockingStub(api.channel(node))))
                .answerQuestion(
                    AnswerQuestionRequest.newBuilder()
                        .setQuestionId(asked.getQuestion().getId())
                        .setText(
                            "From the log while the leader still has the entries, else a snapshot.")
                        .build())
                .getLogIndex());
      }
    }
  }
}

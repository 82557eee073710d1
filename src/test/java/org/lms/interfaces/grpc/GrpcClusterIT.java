package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.v1.Answer;
import org.lms.interfaces.grpc.v1.AskAiRequest;
import org.lms.interfaces.grpc.v1.AskAiResponse;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialResponse;
import org.lms.interfaces.grpc.v1.DownloadSubmissionRequest;
import org.lms.interfaces.grpc.v1.DownloadSubmissionResponse;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.ListAnswersRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.ListQuestionsRequest;
import org.lms.interfaces.grpc.v1.ListRosterRequest;
import org.lms.interfaces.grpc.v1.LoginResponse;
import org.lms.interfaces.grpc.v1.LogoutRequest;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.Question;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.QuestionStatus;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.SubmitAssignmentResponse;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.interfaces.grpc.v1.WhoAmIResponse;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;
import org.lms.testing.OllamaStandIn;

/**
 * The public gRPC API against three real Payara Micro nodes started by {@code ./lms start}, over
 * their real ports: a session opened on node 1 works on node 3 and ends everywhere; a 20 MB file
 * streamed to a follower comes back byte-identical from another node, and so does a hand-in; a
 * client whose node is killed with SIGKILL carries on through the others without a failure reaching
 * its caller. The AI assistant, against an Ollama stand-in: an answer streamed through one node is
 * the same on every node, a slow model is cut off within the configured bound inside Payara, a
 * restarted node never calls the model again. One cluster for the class; every test leaves it as it
 * found it.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GrpcClusterIT {
  private static final String INSTRUCTOR = "ines";
  private static final String INSTRUCTOR_PASSWORD = "ines-password-1";
  private static final String STUDENT = "sami";
  private static final String STUDENT_PASSWORD = "sami-password-1";
  private static final int MIB = 1024 * 1024;

  /** Every course the caller sees (at most about 200 here: one page), read linearizably. */
  private static final ListMyCoursesRequest EVERY_COURSE_LINEARIZABLE =
      ListMyCoursesRequest.newBuilder()
          .setPageSize(500)
          .setReadOptions(
              ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
          .build();

  /** The nodes' bound on one model reply, short so that the slow-model test stays short. */
  private static final Duration AI_TIMEOUT = Duration.ofSeconds(4);

  @AutoClose private static OllamaStandIn ollama;
  @AutoClose private static ClusterProcesses cluster;
  @AutoClose private static ClusterChannels grpc;
  private static String adminToken;
  private static String instructorToken;
  private static String studentToken;
  private static String studentId;
  private static String courseId;
  private static String assignmentId;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void startClusterWithAClassroom() {
    ollama = OllamaStandIn.start();
    cluster =
        ClusterProcesses.start(
            ClusterProcesses.Options.defaults()
                .env("OLLAMA_URL", ollama.url().toString())
                .env("LMS_AI_TIMEOUT_MS", Long.toString(AI_TIMEOUT.toMillis())));
    grpc = new ClusterChannels(cluster);
    // the cast, created through node 2: an instructor teaching a course, an enrolled student, an
    // assignment open now
    adminToken = grpc.login(2, "admin", cluster.adminPassword()).getToken();
    var users = as(adminToken, UserServiceGrpc.newBlockingStub(grpc.node(2)));
    String instructorId =
        users.createUser(user(INSTRUCTOR, Role.ROLE_INSTRUCTOR)).getUser().getId();
    studentId = users.createUser(user(STUDENT, Role.ROLE_STUDENT)).getUser().getId();
    var courses = as(adminToken, CourseServiceGrpc.newBlockingStub(grpc.node(2)));
    courseId =
        courses
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("GRPC-IT")
                    .setTitle("The API over real ports")
                    .addInstructorIds(instructorId)
                    .build())
            .getCourse()
            .getId();
    long enrolled =
        courses
            .enrol(EnrolRequest.newBuilder().setCourseId(courseId).setStudentId(studentId).build())
            .getLogIndex();
    instructorToken = grpc.login(2, INSTRUCTOR, INSTRUCTOR_PASSWORD).getToken();
    studentToken = grpc.login(2, STUDENT, STUDENT_PASSWORD).getToken();
    Instant now = Instant.now();
    assignmentId =
        as(instructorToken, AssignmentServiceGrpc.newBlockingStub(grpc.node(2)))
            .createAssignment(
                CreateAssignmentRequest.newBuilder()
                    .setCourseId(courseId)
                    .setTitle("Hand in over real ports")
                    .setOpensAt(ProtoMapper.timestamp(now.minus(Duration.ofMinutes(1))))
                    .setDueAt(ProtoMapper.timestamp(now.plus(Duration.ofDays(7))))
                    .setCutoffAt(ProtoMapper.timestamp(now.plus(Duration.ofDays(9))))
                    .setMaxPoints(100)
                    .build())
            .getAssignment()
            .getId();
    assertThat(enrolled).isPositive();
  }

  @Test
  @Order(1)
  void aTokenFromNode1WorksOnNode3AndLogoutEndsItEverywhere() {
    LoginResponse login = grpc.login(1, "admin", cluster.adminPassword());
    String token = login.getToken();

    WhoAmIResponse onNode3 =
        as(token, AuthServiceGrpc.newBlockingStub(grpc.node(3)))
            .whoAmI(WhoAmIRequest.getDefaultInstance());
    assertThat(onNode3.getUsername()).isEqualTo("admin");
    assertThat(onNode3.getRole()).isEqualTo(Role.ROLE_ADMIN);
    assertThat(onNode3).isEqualTo(login.getUser());
    // and it writes there too
    var created =
        as(token, CourseServiceGrpc.newBlockingStub(grpc.node(3)))
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("TOKEN-N3")
                    .setTitle("Written on n3")
                    .build());
    assertThat(created.getCourse().getCode()).isEqualTo("TOKEN-N3");

    // signing out on node 3 ends the session on every node
    long loggedOut =
        as(token, AuthServiceGrpc.newBlockingStub(grpc.node(3)))
            .logout(LogoutRequest.getDefaultInstance())
            .getLogIndex();
    cluster.awaitApplied(loggedOut, Duration.ofSeconds(30));
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      var auth = as(token, AuthServiceGrpc.newBlockingStub(grpc.node(node)));
      failsWith(Status.Code.UNAUTHENTICATED, () -> auth.whoAmI(WhoAmIRequest.getDefaultInstance()));
    }
  }

  @Test
  @Order(2)
  void twentyMegabytesStreamedToAFollowerComeBackByteIdenticalFromAnotherNode() {
    int follower = follower();
    int other = cluster.leader();
    byte[] file = Uploads.randomBytes(20 * MIB, 20);
    String sha256 = Uploads.sha256(file);

    long started = System.nanoTime();
    var messages = new ArrayList<UploadMaterialRequest>();
    messages.add(
        UploadMaterialRequest.newBuilder()
            .setHeader(
                MaterialHeader.newBuilder()
                    .setCourseId(courseId)
                    .setTitle("Twenty megabytes")
                    .setFileName("twenty.bin")
                    .setMediaType("application/octet-stream")
                    .setSha256(sha256))
            .build());
    Uploads.chunks(file, MIB)
        .forEach(c -> messages.add(UploadMaterialRequest.newBuilder().setChunk(c).build()));
    UploadMaterialResponse uploaded =
        Uploads.send(
            as(instructorToken, MaterialServiceGrpc.newStub(grpc.node(follower)))::uploadMaterial,
            messages);
    System.out.printf(
        "20 MiB uploaded to follower n%d in %.1f s%n",
        follower, (System.nanoTime() - started) / 1e9);
    assertThat(uploaded.getMaterial().getSha256()).isEqualTo(sha256);
    assertThat(uploaded.getMaterial().getSizeBytes()).isEqualTo(file.length);

    started = System.nanoTime();
    var download =
        as(instructorToken, MaterialServiceGrpc.newBlockingStub(grpc.node(other)))
            .downloadMaterial(
                DownloadMaterialRequest.newBuilder()
                    .setMaterialId(uploaded.getMaterial().getId())
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(uploaded.getLogIndex()))
                    .build());
    DownloadMaterialResponse first = download.next();
    var bytes = new ByteArrayOutputStream(file.length);
    download.forEachRemaining(part -> bytes.writeBytes(part.getChunk().toByteArray()));
    System.out.printf(
        "20 MiB downloaded from n%d in %.1f s%n", other, (System.nanoTime() - started) / 1e9);

    assertThat(first.getMaterial()).isEqualTo(uploaded.getMaterial());
    assertThat(bytes.size()).isEqualTo(file.length);
    assertThat(Uploads.sha256(bytes.toByteArray())).isEqualTo(sha256);
    assertThat(bytes.toByteArray()).isEqualTo(file);
  }

  @Test
  @Order(3)
  void aHandInToOneNodeIsDownloadedByTheInstructorFromAnother() {
    int follower = follower();
    int other = IntStream.rangeClosed(1, 3).filter(n -> n != follower).findFirst().orElseThrow();
    byte[] file = Uploads.randomBytes(3 * MIB + 123, 3);
    String sha256 = Uploads.sha256(file);
    var messages = new ArrayList<SubmitAssignmentRequest>();
    messages.add(
        SubmitAssignmentRequest.newBuilder()
            .setHeader(
                SubmissionHeader.newBuilder()
                    .setAssignmentId(assignmentId)
                    .setFileName("essay.pdf")
                    .setMediaType("application/pdf")
                    .setSha256(sha256))
            .build());
    Uploads.chunks(file, 256 * 1024)
        .forEach(c -> messages.add(SubmitAssignmentRequest.newBuilder().setChunk(c).build()));

    SubmitAssignmentResponse submitted =
        Uploads.send(
            as(studentToken, SubmissionServiceGrpc.newStub(grpc.node(follower)))::submitAssignment,
            messages);
    assertThat(submitted.getSubmission().getStudentId()).isEqualTo(studentId);
    assertThat(submitted.getSubmission().getLate()).isFalse();

    var download =
        as(instructorToken, SubmissionServiceGrpc.newBlockingStub(grpc.node(other)))
            .downloadSubmission(
                DownloadSubmissionRequest.newBuilder()
                    .setSubmissionId(submitted.getSubmission().getId())
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(submitted.getLogIndex()))
                    .build());
    DownloadSubmissionResponse first = download.next();
    var bytes = new ByteArrayOutputStream();
    download.forEachRemaining(part -> bytes.writeBytes(part.getChunk().toByteArray()));

    assertThat(first.getSubmission()).isEqualTo(submitted.getSubmission());
    assertThat(first.getSubmission().getSha256()).isEqualTo(sha256);
    assertThat(bytes.toByteArray()).isEqualTo(file);
  }

  @Test
  @Order(4)
  void aClientWhoseNodeIsKilledCarriesOnThroughAnotherNode() throws Exception {
    int victim = cluster.leader(); // its clients lose their node and the cluster its leader
    var client =
        new FailoverClient(
            grpc.all(), victim, adminToken, Duration.ofSeconds(3), Duration.ofSeconds(45));
    var completed = new CopyOnWriteArrayList<String>(); // the course code of each operation
    var stop = new AtomicBoolean();
    ExecutorService worker = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> operations;
    try {
      // a stream of operations: create a course (made retry-safe by ALREADY_EXISTS), enrol the
      // student (idempotent), read the course back with read-your-writes
      operations =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; !stop.get() && i < 200; i++) {
                  String code = "FAILOVER-" + i;
                  Course course = createCourse(client, code);
                  long enrolled =
                      client
                          .call(
                              "enrol in " + code,
                              ch ->
                                  CourseServiceGrpc.newBlockingStub(ch)
                                      .enrol(
                                          EnrolRequest.newBuilder()
                                              .setCourseId(course.getId())
                                              .setStudentId(studentId)
                                              .build()))
                          .getLogIndex();
                  var roster =
                      client.call(
                          "roster of " + code,
                          ch ->
                              CourseServiceGrpc.newBlockingStub(ch)
                                  .listRoster(
                                      ListRosterRequest.newBuilder()
                                          .setCourseId(course.getId())
                                          .setReadOptions(
                                              ReadOptions.newBuilder().setMinIndex(enrolled))
                                          .build()));
                  if (roster.getStudentsList().stream()
                      .noneMatch(s -> s.getId().equals(studentId))) {
                    throw new AssertionError(code + ": the enrolment is not in the roster");
                  }
                  completed.add(code);
                }
              },
              worker);

      ClusterProcesses.await(
          Duration.ofSeconds(60), "5 operations before the kill", () -> completed.size() >= 5);
      assertThat(client.currentNode()).isEqualTo(victim);
      int beforeKill = completed.size();
      cluster.kill9Node(victim);
      System.out.printf(
          "n%d (leader, the client's node) killed after %d operations%n", victim, beforeKill);
      ClusterProcesses.await(
          Duration.ofSeconds(90),
          "10 more operations after the kill",
          () -> completed.size() >= beforeKill + 10 || operations.isDone());
      stop.set(true);
      operations.get(60, TimeUnit.SECONDS); // any failure that reached the caller surfaces here
    } finally {
      stop.set(true);
      worker.shutdownNow();
    }

    System.out.printf(
        "%d operations completed; failed attempts retried elsewhere: %s%n",
        completed.size(), client.failedAttempts());
    // a call failed on the killed node itself; their codes need no check: FailoverClient records
    // only RETRYABLE ones, and any other code reached the caller (operations.get above)
    assertThat(client.failedAttempts())
        .as("the client really lost its node and went on elsewhere")
        .isNotEmpty()
        .anyMatch(a -> a.node() == victim);
    assertThat(client.currentNode()).isNotEqualTo(victim);

    // the node comes back and catches up; every course of the stream exists once, with the
    // student enrolled, as seen by the node that was down
    cluster.startNode(victim);
    cluster.awaitReady(Duration.ofSeconds(90));
    cluster.awaitConverged(Duration.ofSeconds(60));
    List<Course> all =
        as(adminToken, CourseServiceGrpc.newBlockingStub(grpc.node(victim)))
            .listMyCourses(EVERY_COURSE_LINEARIZABLE)
            .getCoursesList();
    List<Course> streamed = all.stream().filter(c -> c.getCode().startsWith("FAILOVER-")).toList();
    assertThat(streamed).extracting(Course::getCode).containsExactlyInAnyOrderElementsOf(completed);
    assertThat(streamed).allMatch(c -> c.getStudentCount() == 1, "the student enrolled");
    assertThat(cluster.runningStatuses()).hasSize(3).allMatch(NodeStatus::ready);
  }

  @Test
  @Order(5)
  void anAiAnswerStreamedThroughOneNodeIsTheSameOnEveryNode() throws Exception {
    byte[] notes;
    try (var in = GrpcClusterIT.class.getResourceAsStream("/knowledge/corpus/water-cycle.md")) {
      notes = in.readAllBytes();
    }
    Uploads.send(
        as(instructorToken, MaterialServiceGrpc.newStub(grpc.node(1)))::uploadMaterial,
        List.of(
            UploadMaterialRequest.newBuilder()
                .setHeader(
                    MaterialHeader.newBuilder()
                        .setCourseId(courseId)
                        .setTitle("The water cycle")
                        .setFileName("water-cycle.md")
                        .setMediaType("text/markdown")
                        .setSha256(Uploads.sha256(notes)))
                .build(),
            UploadMaterialRequest.newBuilder().setChunk(ByteString.copyFrom(notes)).build()));
    ollama.reply("Water vapour cools and condenses into droplets that form clouds [1].");

    // node 3 indexes the material in the background: ask until the answer cites it
    var answer = new java.util.concurrent.atomic.AtomicReference<Answer>();
    ClusterProcesses.await(
        Duration.ofSeconds(60),
        "an answer from node 3 citing the new material",
        () -> {
          var events = askAi(3, "how do clouds form?");
          Answer last = events.get(events.size() - 1).getAnswer();
          answer.set(last);
          return last.getCitationsList().stream()
              .anyMatch(c -> c.getMaterialTitle().equals("The water cycle"));
        });
    assertThat(ollama.lastPrompt()).contains("<question>\nhow do clouds form?\n</question>");

    for (int node = 1; node <= 3; node++) {
      var seen =
          as(studentToken, QuestionServiceGrpc.newBlockingStub(grpc.node(node)))
              .listAnswers(
                  ListAnswersRequest.newBuilder()
                      .setQuestionId(answer.get().getQuestionId())
                      .setReadOptions(
                          ReadOptions.newBuilder()
                              .setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                      .build());
      assertThat(seen.getAnswersList()).as("answers on n%d", node).containsExactly(answer.get());
      assertThat(httpStatus(node, "/api/ai/health")).as("AI health on n%d", node).isEqualTo(200);
    }
  }

  @Test
  @Order(6)
  void aSlowModelIsCutOffWithinTheBoundAndTheQuestionWaitsForTheInstructor() {
    ollama.firstByteDelay(Duration.ofSeconds(60));
    try {
      long started = System.nanoTime();
      var e = failsWith(Status.Code.DEADLINE_EXCEEDED, () -> askAi(2, "what is condensation?"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took).isLessThan(AI_TIMEOUT.plusSeconds(8));
      assertThat(e.getStatus().getDescription()).contains("passed on to your instructor");
    } finally {
      ollama.firstByteDelay(Duration.ZERO);
    }
    var open =
        questionsSeenOn(1, instructorToken).stream()
            .filter(q -> q.getText().equals("what is condensation?"))
            .toList();
    assertThat(open)
        .singleElement()
        .satisfies(q -> assertThat(q.getStatus()).isEqualTo(QuestionStatus.QUESTION_STATUS_OPEN));
    // the model server down: the health endpoint says so, with the reason
    ollama.stop();
    try {
      assertThat(httpStatus(2, "/api/ai/health")).isEqualTo(503);
    } finally {
      ollama.startAgain();
    }
  }

  @Test
  @Order(7)
  void aRestartedNodeShowsTheAnswerWithoutCallingTheModel() {
    int calls = ollama.chatCalls();
    int restarted = cluster.leader();
    cluster.kill9Node(restarted);
    cluster.startNode(restarted);
    cluster.awaitReady(Duration.ofSeconds(90));
    cluster.awaitConverged(Duration.ofSeconds(60));
    var questions = questionsSeenOn(restarted, studentToken);
    assertThat(questions)
        .filteredOn(q -> q.getText().equals("how do clouds form?"))
        .isNotEmpty()
        .anyMatch(q -> q.getStatus() == QuestionStatus.QUESTION_STATUS_ANSWERED);
    assertThat(ollama.chatCalls()).isEqualTo(calls);
  }

  /** The course's questions as the holder of {@code token} sees them on {@code node}. */
  private static List<Question> questionsSeenOn(int node, String token) {
    return as(token, QuestionServiceGrpc.newBlockingStub(grpc.node(node)))
        .listQuestions(
            ListQuestionsRequest.newBuilder()
                .setCourseId(courseId)
                .setReadOptions(
                    ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
                .build())
        .getQuestionsList();
  }

  private static List<AskAiResponse> askAi(int node, String text) {
    var events = new CopyOnWriteArrayList<AskAiResponse>();
    var iterator =
        as(studentToken, QuestionServiceGrpc.newBlockingStub(grpc.node(node)))
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .askAi(AskAiRequest.newBuilder().setCourseId(courseId).setText(text).build());
    iterator.forEachRemaining(events::add);
    return new ArrayList<>(events);
  }

  private static int httpStatus(int node, String path) {
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(cluster.baseUrl(node) + path))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- helpers

  private static Course createCourse(FailoverClient client, String code) {
    return client.create(
        "create " + code,
        ch ->
            CourseServiceGrpc.newBlockingStub(ch)
                .createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle(code).build())
                .getCourse(),
        ch ->
            CourseServiceGrpc.newBlockingStub(ch)
                .listMyCourses(EVERY_COURSE_LINEARIZABLE)
                .getCoursesList()
                .stream()
                .filter(c -> c.getCode().equals(code))
                .findFirst()
                .orElseThrow(
                    () ->
                        Status.FAILED_PRECONDITION
                            .withDescription(code + " exists but is not listed")
                            .asRuntimeException()));
  }

  private static CreateUserRequest user(String username, Role role) {
    return CreateUserRequest.newBuilder()
        .setUsername(username)
        .setDisplayName(username)
        .setRole(role)
        .setPassword(role == Role.ROLE_STUDENT ? STUDENT_PASSWORD : INSTRUCTOR_PASSWORD)
        .build();
  }

  private static int follower() {
    cluster.awaitReady(Duration.ofSeconds(30));
    return cluster.runningStatuses().stream()
        .filter(s -> !s.isLeader())
        .map(s -> Integer.parseInt(s.nodeId().substring(1)))
        .findFirst()
        .orElseThrow();
  }
}

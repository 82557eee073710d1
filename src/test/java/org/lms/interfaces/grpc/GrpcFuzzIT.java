package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.HostileRequests.Targets;
import org.lms.interfaces.grpc.HostileRequests.TokenKind;
import org.lms.interfaces.grpc.v1.Addressee;
import org.lms.interfaces.grpc.v1.AskQuestionRequest;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUserResult;
import org.lms.interfaces.grpc.v1.CreateUsersResponse;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.GetAssignmentRequest;
import org.lms.interfaces.grpc.v1.GetCourseRequest;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.ListQuestionsRequest;
import org.lms.interfaces.grpc.v1.LoginResponse;
import org.lms.interfaces.grpc.v1.LogoutRequest;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.Question;
import org.lms.interfaces.grpc.v1.QuestionServiceGrpc;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SetUserDisabledRequest;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;

/**
 * Fuzzes the public gRPC API of three real Payara Micro nodes ({@code ./lms start}) with generated
 * malformed and hostile requests, spread over the three nodes and over every rpc they serve (found
 * through the service descriptors): random and malformed ids, huge, unicode and control-character
 * strings, negative and overflowing numbers, unknown enum values, random bytes as messages,
 * truncated and cut-off streams, wrong SHA-256s, missing, garbage, ended and disabled-account
 * tokens. No answer may be INTERNAL or UNKNOWN; every node must still be ready afterwards; and the
 * requests that must be refused must leave the replicated state (digest), the stored files and the
 * upload spools exactly as they were. A second, smaller phase sends hostile but valid writes
 * (unicode everywhere, limits and edge values) that must be accepted and read back alike from every
 * node.
 *
 * <p>The generator is seeded: {@code -Dlms.fuzz.seed=<long>} (or {@code random}) and {@code
 * -Dlms.fuzz.requests=<n>} change the run; the seed is printed first.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GrpcFuzzIT {
  private static final long DEFAULT_SEED = 20_261_127L;
  private static final int DEFAULT_REQUESTS = 1_200;
  private static final int CONCURRENT_CALLS = 4;
  private static final String PASSWORD = "fuzz-password-1";
  private static final int MAX_POINTS = 10;

  @AutoClose private static ClusterProcesses cluster;
  @AutoClose private static ClusterChannels grpc;
  private static Targets targets;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void startClusterWithTargets() {
    cluster = ClusterProcesses.start();
    grpc = new ClusterChannels(cluster);
    targets = prepareTargets();
  }

  @Test
  @Order(1)
  void hostileRequestsAreRefusedCleanlyAndChangeNothing() throws Exception {
    long seed = seed();
    int requests = Integer.getInteger("lms.fuzz.requests", DEFAULT_REQUESTS);
    var generator = new HostileRequests(targets);
    say(
        "fuzz: seed %d (-Dlms.fuzz.seed), %d requests (-Dlms.fuzz.requests) over %d rpcs and 3"
            + " nodes",
        seed, requests, generator.methodCount());
    String digestBefore = cluster.awaitConverged(Duration.ofSeconds(60));
    Map<Integer, Set<String>> filesBefore = storedFiles();

    var outcomes = new Outcomes();
    var master = new Random(seed);
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CALLS);
    long started = System.nanoTime();
    try {
      var futures = new ArrayList<Future<?>>();
      for (int i = 0; i < requests; i++) {
        int number = i;
        long caseSeed = master.nextLong();
        futures.add(
            pool.submit(
                () -> {
                  FuzzCase c = generator.generate(number, caseSeed);
                  try {
                    outcomes.record(c, c.send(grpc.node(c.node())), caseSeed);
                  } catch (RuntimeException e) {
                    outcomes.noAnswer(c, e);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(4, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    say(
        "fuzz phase 1 (must be refused or read only): %d requests in %.1f s",
        outcomes.total(), (System.nanoTime() - started) / 1e9);
    outcomes.report("phase 1");
    Path log = Path.of("target", "grpc-fuzz", "requests-seed-" + seed + ".txt");
    outcomes.writeLog(log);
    say("fuzz: every request and its answer: %s", log.toAbsolutePath());

    assertThat(outcomes.total()).isEqualTo(requests);
    assertThat(outcomes.violations())
        .as(
            "requests answered INTERNAL or UNKNOWN, accepted though they must be refused, or"
                + " never answered")
        .isEmpty();
    assertEveryNodeServes();
    ClusterProcesses.await(
        Duration.ofSeconds(20), "every upload spool empty", GrpcFuzzIT::spoolsEmpty);
    assertThat(storedFiles()).as("the stored files of each node").isEqualTo(filesBefore);
    assertThat(cluster.awaitConverged(Duration.ofSeconds(60)))
        .as("the state digest after the refused requests")
        .isEqualTo(digestBefore);
  }

  @Test
  @Order(2)
  void hostileButValidWritesAreAcceptedAndReadBackAlikeEverywhere() {
    var r = new Random(seed() ^ 0x5EED);
    var outcomes = new Outcomes();
    String admin = targets.tokens().get(TokenKind.ADMIN);
    String instructor = targets.tokens().get(TokenKind.INSTRUCTOR);
    String student = targets.tokens().get(TokenKind.STUDENT);

    for (int i = 0; i < 30; i++) {
      String title = letter(r) + HostileValues.unicode(r, r.nextInt(190)) + letter(r);
      String code = "UNI-" + i + "-" + r.nextInt(1000);
      int node = 1 + r.nextInt(3);
      var created =
          outcomes.call(
              "CreateCourse title=" + title.length() + " unicode chars",
              () ->
                  as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(node)))
                      .createCourse(
                          CreateCourseRequest.newBuilder()
                              .setCode(code)
                              .setTitle(title)
                              .addInstructorIds(targets.instructorId())
                              .build()));
      if (created != null) {
        var read =
            as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(other(node))))
                .getCourse(
                    GetCourseRequest.newBuilder()
                        .setCourseId(created.getCourse().getId())
                        .setReadOptions(minIndex(created.getLogIndex()))
                        .build());
        outcomes.expectEqual("course title read on another node", read.getTitle(), title.strip());
      }
    }

    for (int i = 0; i < 30; i++) {
      String text =
          letter(r)
              + HostileValues.unicode(r, r.nextInt(i % 10 == 0 ? 9_990 : 500))
              + "\n\t"
              + HostileValues.unicode(r, 5)
              + "\r\n"
              + letter(r);
      // at most 10 000 UTF-16 units, never ending in half a surrogate pair
      int cut = Character.isHighSurrogate(text.charAt(9_998 % text.length())) ? 9_998 : 9_999;
      String shown = text.length() > 10_000 ? text.substring(0, cut) + letter(r) : text;
      int node = 1 + r.nextInt(3);
      var asked =
          outcomes.call(
              "AskQuestion text=" + shown.length() + " unicode chars",
              () ->
                  as(student, QuestionServiceGrpc.newBlockingStub(grpc.node(node)))
                      .askQuestion(
                          AskQuestionRequest.newBuilder()
                              .setCourseId(targets.courseId())
                              .setAddressee(
                                  r.nextBoolean()
                                      ? Addressee.ADDRESSEE_INSTRUCTOR
                                      : Addressee.ADDRESSEE_AI)
                              .setText(shown)
                              .build()));
      if (asked != null) {
        List<Question> questions =
            as(student, QuestionServiceGrpc.newBlockingStub(grpc.node(other(node))))
                .listQuestions(
                    ListQuestionsRequest.newBuilder()
                        .setCourseId(targets.courseId())
                        .setPageSize(500)
                        .setReadOptions(minIndex(asked.getLogIndex()))
                        .build())
                .getQuestionsList();
        outcomes.expectEqual(
            "question text read on another node",
            questions.stream()
                .filter(q -> q.getId().equals(asked.getQuestion().getId()))
                .map(Question::getText)
                .findFirst()
                .orElse("<missing>"),
            shown);
      }
    }

    for (int i = 0; i < 10; i++) {
      byte[] bytes = HostileValues.randomBytes(r, 200_000);
      if (bytes.length == 0) {
        bytes = new byte[] {0};
      }
      byte[] file = bytes;
      String title = letter(r) + HostileValues.unicode(r, 1 + r.nextInt(150)) + letter(r);
      String fileName = letter(r) + HostileValues.unicode(r, 1 + r.nextInt(200)) + ".bin";
      int node = 1 + r.nextInt(3);
      var uploaded =
          outcomes.call(
              "UploadMaterial unicode title and file name, " + file.length + " bytes",
              () ->
                  Uploads.send(
                      as(instructor, MaterialServiceGrpc.newStub(grpc.node(node)))::uploadMaterial,
                      List.of(
                          UploadMaterialRequest.newBuilder()
                              .setHeader(
                                  MaterialHeader.newBuilder()
                                      .setCourseId(targets.courseId())
                                      .setTitle(title)
                                      .setFileName(fileName)
                                      .setMediaType("text/plain; charset=utf-8")
                                      .setSha256(Uploads.sha256(file).toUpperCase()))
                              .build(),
                          UploadMaterialRequest.newBuilder()
                              .setChunk(com.google.protobuf.ByteString.copyFrom(file))
                              .build())));
      if (uploaded != null) {
        var parts =
            as(instructor, MaterialServiceGrpc.newBlockingStub(grpc.node(other(node))))
                .downloadMaterial(
                    DownloadMaterialRequest.newBuilder()
                        .setMaterialId(uploaded.getMaterial().getId())
                        .setReadOptions(minIndex(uploaded.getLogIndex()))
                        .build());
        var first = parts.next();
        var out = new ByteArrayOutputStream();
        parts.forEachRemaining(p -> out.writeBytes(p.getChunk().toByteArray()));
        outcomes.expectEqual(
            "material file name read on another node", first.getMaterial().getFileName(), fileName);
        outcomes.expectEqual(
            "material bytes read on another node",
            Uploads.sha256(out.toByteArray()),
            Uploads.sha256(file));
      }
    }

    // the edges of time: google.protobuf.Timestamp's first and last instants, sub-milliseconds
    List<Instant[]> spans =
        List.of(
            new Instant[] {
              Instant.parse("0001-01-01T00:00:00Z"),
              Instant.parse("9999-12-31T23:59:59.999999999Z"),
              Instant.parse("9999-12-31T23:59:59.999999999Z")
            },
            new Instant[] {
              Instant.parse("1969-12-31T23:59:59.999500Z"),
              Instant.parse("1970-01-01T00:00:00.000001Z"),
              Instant.parse("2038-01-19T03:14:08Z")
            },
            new Instant[] {
              Instant.now().minusSeconds(60),
              Instant.now().plusSeconds(1),
              Instant.now().plusSeconds(1)
            });
    for (Instant[] span : spans) {
      int node = 1 + r.nextInt(3);
      int points = r.nextBoolean() ? 1 : 10_000;
      var created =
          outcomes.call(
              "CreateAssignment " + span[0] + " .. " + span[2] + ", " + points + " points",
              () ->
                  as(instructor, AssignmentServiceGrpc.newBlockingStub(grpc.node(node)))
                      .createAssignment(
                          CreateAssignmentRequest.newBuilder()
                              .setCourseId(targets.courseId())
                              .setTitle(letter(r) + HostileValues.unicode(r, 50) + letter(r))
                              .setDescription(HostileValues.unicode(r, 19_000))
                              .setOpensAt(ProtoMapper.timestamp(span[0]))
                              .setDueAt(ProtoMapper.timestamp(span[1]))
                              .setCutoffAt(ProtoMapper.timestamp(span[2]))
                              .setMaxPoints(points)
                              .build()));
      if (created != null) {
        Assignment read =
            as(instructor, AssignmentServiceGrpc.newBlockingStub(grpc.node(other(node))))
                .getAssignment(
                    GetAssignmentRequest.newBuilder()
                        .setAssignmentId(created.getAssignment().getId())
                        .setReadOptions(minIndex(created.getLogIndex()))
                        .build());
        outcomes.expectEqual("assignment read on another node", read, created.getAssignment());
        outcomes.expectEqual(
            "opens_at kept to the millisecond",
            instant(read.getOpensAt()),
            span[0].truncatedTo(ChronoUnit.MILLIS));
        outcomes.expectEqual(
            "due_at kept to the millisecond",
            instant(read.getDueAt()),
            span[1].truncatedTo(ChronoUnit.MILLIS));
      }
    }

    // grades at the edges: 0, the maximum, hundredths that binary floating point cannot hold
    // (finer points must be refused: phase 1's business)
    long version = targets.gradeVersion();
    for (double points : new double[] {0, MAX_POINTS, 0.01, 9.99, 4.35, 0.1 + 0.2}) {
      int node = 1 + r.nextInt(3);
      long expected = version;
      String feedback = HostileValues.unicode(r, r.nextInt(2_000)) + "\n" + letter(r);
      var graded =
          outcomes.call(
              "GradeSubmission points=" + points + " expected_version=" + expected,
              () ->
                  as(instructor, GradingServiceGrpc.newBlockingStub(grpc.node(node)))
                      .gradeSubmission(
                          GradeSubmissionRequest.newBuilder()
                              .setSubmissionId(targets.submissionId())
                              .setPoints(points)
                              .setFeedback(feedback)
                              .setExpectedVersion(expected)
                              .build()));
      if (graded != null) {
        version = graded.getGrade().getVersion();
        var read =
            as(instructor, GradingServiceGrpc.newBlockingStub(grpc.node(other(node))))
                .getGrade(
                    GetGradeRequest.newBuilder()
                        .setSubmissionId(targets.submissionId())
                        .setReadOptions(minIndex(graded.getLogIndex()))
                        .build());
        outcomes.expectEqual("grade read on another node", read, graded.getGrade());
      }
    }

    outcomes.report("phase 2 (hostile but valid)");
    assertThat(outcomes.violations()).as("phase 2 violations").isEmpty();
    assertThat(outcomes.count(Status.Code.OK)).as("accepted writes").isEqualTo(outcomes.total());
    cluster.awaitConverged(Duration.ofSeconds(60));
  }

  @Test
  @Order(3)
  void everyNodeStillServesAndAgrees() {
    assertEveryNodeServes();
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(grpc.node(node))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus())
          .as("n" + node)
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      // and it still answers its users
      assertThat(
              as(
                      targets.tokens().get(TokenKind.STUDENT),
                      AuthServiceGrpc.newBlockingStub(grpc.node(node)))
                  .whoAmI(org.lms.interfaces.grpc.v1.WhoAmIRequest.getDefaultInstance())
                  .getUserId())
          .isEqualTo(targets.studentId());
    }
    cluster.awaitConverged(Duration.ofSeconds(60));
  }

  // ---------------------------------------------------------------- the targets

  /** The cast and the records the fuzzer aims at, created through the API before it starts. */
  private static Targets prepareTargets() {
    LoginResponse adminLogin = grpc.login(1, "admin", cluster.adminPassword());
    String admin = adminLogin.getToken();
    var users = as(admin, UserServiceGrpc.newBlockingStub(grpc.node(1)));
    String instructorId = createUser(users, "fiona", Role.ROLE_INSTRUCTOR);
    String studentId = createUser(users, "sasha", Role.ROLE_STUDENT);
    createUser(users, "mallory", Role.ROLE_STUDENT); // wrong passwords are tried on her
    String doraId = createUser(users, "dora", Role.ROLE_STUDENT);

    var courses = as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(1)));
    var course =
        courses
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("FUZZ-1")
                    .setTitle("Hostile input")
                    .addInstructorIds(instructorId)
                    .build())
            .getCourse();
    courses.enrol(
        EnrolRequest.newBuilder().setCourseId(course.getId()).setStudentId(studentId).build());
    courses.enrol(
        EnrolRequest.newBuilder().setCourseId(course.getId()).setStudentId(doraId).build());

    String instructor = grpc.login(2, "fiona", PASSWORD).getToken();
    String student = grpc.login(3, "sasha", PASSWORD).getToken();
    String disabled = grpc.login(2, "dora", PASSWORD).getToken();
    String ended = grpc.login(3, "admin", cluster.adminPassword()).getToken();
    as(ended, AuthServiceGrpc.newBlockingStub(grpc.node(3)))
        .logout(LogoutRequest.getDefaultInstance());
    users.setUserDisabled(
        SetUserDisabledRequest.newBuilder().setUserId(doraId).setDisabled(true).build());

    Instant now = Instant.now();
    var assignment =
        as(instructor, AssignmentServiceGrpc.newBlockingStub(grpc.node(2)))
            .createAssignment(
                CreateAssignmentRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setTitle("Open now")
                    .setOpensAt(ProtoMapper.timestamp(now.minusSeconds(60)))
                    .setDueAt(ProtoMapper.timestamp(now.plus(Duration.ofDays(7))))
                    .setCutoffAt(ProtoMapper.timestamp(now.plus(Duration.ofDays(9))))
                    .setMaxPoints(MAX_POINTS)
                    .build())
            .getAssignment();
    byte[] essay = "an essay".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var submission =
        Uploads.send(
                as(student, SubmissionServiceGrpc.newStub(grpc.node(3)))::submitAssignment,
                List.of(
                    SubmitAssignmentRequest.newBuilder()
                        .setHeader(
                            SubmissionHeader.newBuilder()
                                .setAssignmentId(assignment.getId())
                                .setFileName("essay.txt")
                                .setMediaType("text/plain")
                                .setSha256(Uploads.sha256(essay)))
                        .build(),
                    SubmitAssignmentRequest.newBuilder()
                        .setChunk(com.google.protobuf.ByteString.copyFrom(essay))
                        .build()))
            .getSubmission();
    var graded =
        as(instructor, GradingServiceGrpc.newBlockingStub(grpc.node(2)))
            .gradeSubmission(
                GradeSubmissionRequest.newBuilder()
                    .setSubmissionId(submission.getId())
                    .setPoints(7.5)
                    .setExpectedVersion(0)
                    .build())
            .getGrade();
    byte[] notes = "lecture notes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var material =
        Uploads.send(
                as(instructor, MaterialServiceGrpc.newStub(grpc.node(2)))::uploadMaterial,
                List.of(
                    UploadMaterialRequest.newBuilder()
                        .setHeader(
                            MaterialHeader.newBuilder()
                                .setCourseId(course.getId())
                                .setTitle("Notes")
                                .setFileName("notes.txt")
                                .setMediaType("text/plain"))
                        .build(),
                    UploadMaterialRequest.newBuilder()
                        .setChunk(com.google.protobuf.ByteString.copyFrom(notes))
                        .build()))
            .getMaterial();
    var question =
        as(student, QuestionServiceGrpc.newBlockingStub(grpc.node(3)))
            .askQuestion(
                AskQuestionRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setAddressee(Addressee.ADDRESSEE_INSTRUCTOR)
                    .setText("Is the cut-off strict?")
                    .build());

    var tokens = new EnumMap<TokenKind, String>(TokenKind.class);
    tokens.put(TokenKind.ADMIN, admin);
    tokens.put(TokenKind.INSTRUCTOR, instructor);
    tokens.put(TokenKind.STUDENT, student);
    tokens.put(TokenKind.ENDED, ended);
    tokens.put(TokenKind.DISABLED, disabled);
    return new Targets(
        adminLogin.getUser().getUserId(),
        instructorId,
        studentId,
        doraId,
        course.getId(),
        course.getCode(),
        assignment.getId(),
        MAX_POINTS,
        submission.getId(),
        graded.getVersion(),
        material.getId(),
        question.getQuestion().getId(),
        question.getLogIndex(),
        Map.copyOf(tokens));
  }

  private static String createUser(
      UserServiceGrpc.UserServiceBlockingStub users, String name, Role role) {
    return users
        .createUser(
            CreateUserRequest.newBuilder()
                .setUsername(name)
                .setDisplayName(name)
                .setRole(role)
                .setPassword(PASSWORD)
                .build())
        .getUser()
        .getId();
  }

  // ---------------------------------------------------------------- outcomes

  /** What came back: counts by status code and service, and every violation with its request. */
  private static final class Outcomes {
    private final Map<Status.Code, LongAdder> byCode = new ConcurrentHashMap<>();
    private final Map<String, Map<Status.Code, LongAdder>> byService = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong total = new AtomicLong();

    void record(FuzzCase c, FuzzCase.Result result, long caseSeed) {
      Status status = result.status();
      count(c.method().getServiceName(), status.getCode());
      log.add(
          String.format(
              "%05d %-19s %s | case seed %d | %s",
              c.number(), status.getCode(), status.getDescription(), caseSeed, c));
      Status.Code code = status.getCode();
      if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN) {
        violations.add(code + " (" + status.getDescription() + ") for " + c);
      } else if (code == Status.Code.OK && c.mustBeRefused() && !refusedOneByOne(c, result)) {
        violations.add("accepted though it must be refused: " + c);
      }
    }

    /** CreateUsers answers OK with an error per account: refused if no account was created. */
    private static boolean refusedOneByOne(FuzzCase c, FuzzCase.Result result) {
      if (!c.method().equals(UserServiceGrpc.getCreateUsersMethod())
          || result.responses().isEmpty()) {
        return false;
      }
      try {
        return CreateUsersResponse.parseFrom(result.responses().get(0)).getResultsList().stream()
            .noneMatch(CreateUserResult::hasUser);
      } catch (InvalidProtocolBufferException e) {
        return false;
      }
    }

    /** Writes every request and its answer, in generated order, to {@code file}. */
    void writeLog(Path file) {
      try {
        Files.createDirectories(file.getParent());
        List<String> lines;
        synchronized (log) {
          lines = log.stream().sorted().toList();
        }
        Files.write(file, lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void noAnswer(FuzzCase c, RuntimeException e) {
      count(c.method().getServiceName(), null);
      violations.add("no answer (" + e.getMessage() + ") for " + c);
    }

    /** Runs a call that must be accepted; a refusal is a violation, and null is returned. */
    <T> T call(String what, Supplier<T> call) {
      try {
        T result = call.get();
        count("phase 2", Status.Code.OK);
        return result;
      } catch (StatusRuntimeException e) {
        count("phase 2", e.getStatus().getCode());
        violations.add("refused though valid: " + e.getStatus() + " for " + what);
        return null;
      }
    }

    void expectEqual(String what, Object actual, Object expected) {
      if (!actual.equals(expected)) {
        violations.add(what + ": expected " + expected + " but read " + actual);
      }
    }

    private void count(String service, Status.Code code) {
      total.incrementAndGet();
      Status.Code key = code == null ? Status.Code.UNKNOWN : code;
      byCode.computeIfAbsent(key, k -> new LongAdder()).increment();
      byService
          .computeIfAbsent(service, k -> new ConcurrentHashMap<>())
          .computeIfAbsent(key, k -> new LongAdder())
          .increment();
    }

    long total() {
      return total.get();
    }

    long count(Status.Code code) {
      LongAdder n = byCode.get(code);
      return n == null ? 0 : n.sum();
    }

    List<String> violations() {
      synchronized (violations) {
        return List.copyOf(violations);
      }
    }

    void report(String phase) {
      say("%s: %d requests; by status code:", phase, total());
      new TreeMap<>(byCode).forEach((code, n) -> say("  %-20s %6d", code, n.sum()));
      say("%s: by service:", phase);
      new TreeMap<>(byService)
          .forEach(
              (service, codes) -> {
                var line = new StringBuilder();
                new TreeMap<>(codes)
                    .forEach(
                        (code, n) -> line.append(' ').append(code).append('=').append(n.sum()));
                say("  %-36s%s", service, line);
              });
      List<String> found = violations();
      say("%s: %d violations", phase, found.size());
      found.forEach(v -> say("  VIOLATION %s", v));
    }
  }

  // ---------------------------------------------------------------- the cluster

  private static void assertEveryNodeServes() {
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      assertThat(cluster.pid(node)).as("n" + node + " runs").isPresent();
      assertThat(cluster.httpStatus(node, "/health/ready"))
          .as("n" + node + " ready")
          .isEqualTo(200);
    }
    assertThat(cluster.runningStatuses()).hasSize(3).allMatch(NodeStatus::ready, "ready");
    assertThat(cluster.liveProcesses()).hasSize(3);
  }

  /** Every file under each node's file store, by node. */
  private static Map<Integer, Set<String>> storedFiles() {
    var files = new TreeMap<Integer, Set<String>>();
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      Path dir = nodeDir(node).resolve("files");
      var names = new TreeSet<String>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.filter(Files::isRegularFile).forEach(p -> names.add(dir.relativize(p).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      files.put(node, names);
    }
    return files;
  }

  private static boolean spoolsEmpty() {
    return IntStream.rangeClosed(1, ClusterProcesses.SIZE)
        .allMatch(
            node -> {
              Path spool = nodeDir(node).resolve("upload-spool");
              if (!Files.isDirectory(spool)) {
                return true;
              }
              try (Stream<Path> left = Files.list(spool)) {
                return left.findAny().isEmpty();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static Path nodeDir(int node) {
    return cluster.dataDir().resolve(ClusterProcesses.nodeId(node));
  }

  // ---------------------------------------------------------------- small things

  private static long seed() {
    String value = System.getProperty("lms.fuzz.seed", "");
    if (value.isBlank()) {
      return DEFAULT_SEED;
    }
    if (value.equals("random")) {
      long seed = new Random().nextLong();
      System.setProperty("lms.fuzz.seed", Long.toString(seed));
      return seed;
    }
    return Long.parseLong(value.strip());
  }

  private static int other(int node) {
    return node % ClusterProcesses.SIZE + 1;
  }

  private static ReadOptions minIndex(long index) {
    return ReadOptions.newBuilder().setMinIndex(index).build();
  }

  private static char letter(Random r) {
    return (char) ('a' + r.nextInt(26));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }
}

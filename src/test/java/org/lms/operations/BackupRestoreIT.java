package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.infrastructure.backup.BackupArchive;
import org.lms.infrastructure.backup.BackupManifest;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.Consistency;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadSubmissionRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.interfaces.web.OperatorAccessFilter;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.LmsRun;

/**
 * A backup of a running cluster and its restore into a new one, through {@code ./lms backup} and
 * {@code ./lms restore} against real Payara Micro nodes. Cluster A gets users, a course with a PDF
 * and a text file, an assignment, two hand-ins and grades through the gRPC API; a writer keeps
 * creating courses while the backup is taken. The restored cluster B (another data directory, other
 * ports; A is stopped first) shows on every node the state digest the backup's manifest records,
 * which a second backup of the quiet cluster shows to be the live digest; it holds a prefix of the
 * writer's courses and nothing written after the backup, serves every file byte for byte from every
 * node, takes new writes, and a restarted node of it catches up. Refusals on the way: a wrong
 * secret, a restore into A's data directory, a damaged archive.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BackupRestoreIT {

  private static final String INSTRUCTOR = "ines";
  private static final String PASSWORD = "backup-it-password";
  private static final List<String> STUDENTS = List.of("sami", "tara");
  private static final String LIVE = "LIVE-";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ListMyCoursesRequest EVERY_COURSE =
      ListMyCoursesRequest.newBuilder()
          .setPageSize(1000)
          .setReadOptions(
              ReadOptions.newBuilder().setConsistency(Consistency.CONSISTENCY_LINEARIZABLE))
          .build();

  private static final Path BACKUPS =
      Path.of("target", "it-backups-" + UUID.randomUUID().toString().substring(0, 8))
          .toAbsolutePath();

  private static ClusterProcesses a;
  private static ClusterProcesses b;
  private static ClusterChannels grpcA;
  private static String adminPassword;
  private static String courseId;

  /** Material and submission ids with the SHA-256 of the bytes uploaded for them. */
  private static final Map<String, String> materials = new LinkedHashMap<>();

  private static final Map<String, String> submissions = new LinkedHashMap<>();
  private static String gradedSubmission;

  private static Path archive;
  private static BackupManifest manifest;

  /** The writer's courses, in the order it created them; every one of them succeeded. */
  private static final List<String> written = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startClusterAWithAClassroom() throws IOException {
    Files.createDirectories(BACKUPS);
    a = ClusterProcesses.start();
    adminPassword = a.adminPassword();
    grpcA = new ClusterChannels(a);
    String admin = grpcA.login(1, "admin", adminPassword).getToken();
    var users = as(admin, UserServiceGrpc.newBlockingStub(grpcA.node(1)));
    String instructorId =
        users.createUser(user(INSTRUCTOR, Role.ROLE_INSTRUCTOR)).getUser().getId();
    var studentIds = new ArrayList<String>();
    for (String student : STUDENTS) {
      studentIds.add(users.createUser(user(student, Role.ROLE_STUDENT)).getUser().getId());
    }
    var courses = as(admin, CourseServiceGrpc.newBlockingStub(grpcA.node(1)));
    courseId =
        courses
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("BACKUP-101")
                    .setTitle("Keeping what matters")
                    .addInstructorIds(instructorId)
                    .build())
            .getCourse()
            .getId();
    for (String studentId : studentIds) {
      courses.enrol(
          EnrolRequest.newBuilder().setCourseId(courseId).setStudentId(studentId).build());
    }

    String instructor = grpcA.login(2, INSTRUCTOR, PASSWORD).getToken();
    upload(instructor, "Photosynthesis", "photosynthesis.pdf", "application/pdf");
    upload(instructor, "The water cycle", "water-cycle.md", "text/markdown");
    Instant now = Instant.now();
    String assignmentId =
        as(instructor, AssignmentServiceGrpc.newBlockingStub(grpcA.node(2)))
            .createAssignment(
                CreateAssignmentRequest.newBuilder()
                    .setCourseId(courseId)
                    .setTitle("An essay")
                    .setOpensAt(timestamp(now.minus(Duration.ofMinutes(1))))
                    .setDueAt(timestamp(now.plus(Duration.ofDays(7))))
                    .setCutoffAt(timestamp(now.plus(Duration.ofDays(8))))
                    .setMaxPoints(100)
                    .build())
            .getAssignment()
            .getId();
    int seed = 0;
    for (String student : STUDENTS) {
      String token = grpcA.login(3, student, PASSWORD).getToken();
      byte[] file = Uploads.randomBytes(300_000 + seed * 1000, ++seed);
      var messages = new ArrayList<SubmitAssignmentRequest>();
      messages.add(
          SubmitAssignmentRequest.newBuilder()
              .setHeader(
                  SubmissionHeader.newBuilder()
                      .setAssignmentId(assignmentId)
                      .setFileName(student + "-essay.pdf")
                      .setMediaType("application/pdf")
                      .setSha256(Uploads.sha256(file)))
              .build());
      Uploads.chunks(file, 256 * 1024)
          .forEach(c -> messages.add(SubmitAssignmentRequest.newBuilder().setChunk(c).build()));
      var handIn =
          Uploads.send(
              as(token, SubmissionServiceGrpc.newStub(grpcA.node(3)))::submitAssignment, messages);
      submissions.put(handIn.getSubmission().getId(), Uploads.sha256(file));
    }
    var grading = as(instructor, GradingServiceGrpc.newBlockingStub(grpcA.node(2)));
    for (String submissionId : submissions.keySet()) {
      grading.gradeSubmission(
          GradeSubmissionRequest.newBuilder()
              .setSubmissionId(submissionId)
              .setPoints(81.5)
              .setFeedback("Well argued")
              .build());
    }
    gradedSubmission = submissions.keySet().iterator().next();
  }

  @AfterAll
  static void stopEverything() {
    for (AutoCloseable c : new AutoCloseable[] {grpcA, a, b}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.out.println("closing " + c + " failed: " + e);
      }
    }
  }

  @Test
  @Order(1)
  void theBackupEndpointIsTheOperatorsOnly() throws Exception {
    var http = HttpClient.newHttpClient();
    for (String secret : new String[] {null, "not-the-cluster-secret"}) {
      var request =
          HttpRequest.newBuilder(URI.create(a.baseUrl(1) + "/api/admin/backup"))
              .timeout(Duration.ofSeconds(20));
      if (secret != null) {
        request.header(OperatorAccessFilter.HEADER, secret);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("secret %s", secret).isEqualTo(401);
      assertThat(response.body()).contains(OperatorAccessFilter.HEADER);
    }
  }

  @Test
  @Order(2)
  void aBackupTakenWhileWritesGoOnIsWholeAndChecked() throws Exception {
    String admin = grpcA.login(1, "admin", adminPassword).getToken();
    var courses = as(admin, CourseServiceGrpc.newBlockingStub(grpcA.node(1)));
    var stop = new AtomicBoolean();
    var afterBackup = new AtomicInteger(-1);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    archive = BACKUPS.resolve("a.tar");
    long took;
    try {
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                // one course after another; a failure ends the writer and fails the test below
                for (int i = 0; !stop.get() && i < 1000; i++) {
                  String code = String.format("%s%04d", LIVE, i);
                  courses.createCourse(
                      CreateCourseRequest.newBuilder().setCode(code).setTitle(code).build());
                  written.add(code);
                  sleep(30);
                }
              },
              worker);
      ClusterProcesses.await(WAIT, "the writer under way", () -> written.size() >= 5);
      long started = System.nanoTime();
      LmsRun backup = a.run(Duration.ofMinutes(3), "backup", archive.toString());
      took = System.nanoTime() - started;
      assertThat(backup.exitCode()).as(backup.output()).isZero();
      afterBackup.set(written.size());
      ClusterProcesses.await(
          WAIT, "writes after the backup", () -> written.size() >= afterBackup.get() + 3);
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(backup.output()).contains("checked").contains(archive.toString());
    } finally {
      stop.set(true);
      worker.shutdownNow();
    }

    try (InputStream in = Files.newInputStream(archive)) {
      var contents = BackupArchive.verify(in);
      manifest = contents.manifest();
      assertThat(contents.blobs())
          .containsExactlyInAnyOrderElementsOf(concat(materials.values(), submissions.values()));
    }
    assertThat(manifest.raftGroupId()).isEqualTo("6c6d7300-0000-4000-8000-000000000001");
    assertThat(manifest.blobCount()).isEqualTo(4);
    System.out.printf(
        "backup of %s at index %d: %d files, %d bytes (%d bytes of files), %.1f s by ./lms backup%n",
        manifest.sourceNode(),
        manifest.snapshotIndex(),
        manifest.blobCount(),
        Files.size(archive),
        manifest.blobBytes(),
        took / 1e9);
    // a plain tar lists it: manifest first, SHA256SUMS last
    Process tar =
        new ProcessBuilder("tar", "-tvf", archive.toString()).redirectErrorStream(true).start();
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
    System.out.print(listing);
    List<String> names = listing.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    assertThat(names).hasSize(2 + 4 + 1).startsWith(BackupArchive.MANIFEST, BackupArchive.SNAPSHOT);
    assertThat(names).last().isEqualTo(BackupArchive.SUMS);

    // writes after the backup: a course, and a changed grade
    String instructor = grpcA.login(2, INSTRUCTOR, PASSWORD).getToken();
    courses.createCourse(
        CreateCourseRequest.newBuilder().setCode("AFTER-BACKUP").setTitle("Too late").build());
    as(instructor, GradingServiceGrpc.newBlockingStub(grpcA.node(2)))
        .gradeSubmission(
            GradeSubmissionRequest.newBuilder()
                .setSubmissionId(gradedSubmission)
                .setPoints(12)
                .setFeedback("Changed after the backup")
                .setExpectedVersion(1)
                .build());

    // the manifest's digest is the live one: a backup of the quiet cluster shows what every node
    // shows at that moment
    String quiet = a.awaitConverged(WAIT);
    Path second = BACKUPS.resolve("quiet.tar");
    LmsRun again = a.run(Duration.ofMinutes(3), "backup", second.toString());
    assertThat(again.exitCode()).as(again.output()).isZero();
    try (InputStream in = Files.newInputStream(second)) {
      assertThat(BackupArchive.verify(in).manifest().stateDigest()).isEqualTo(quiet);
    }
    assertThat(a.awaitConverged(WAIT))
        .as("nothing written during the second backup")
        .isEqualTo(quiet);

    // a restore into the data directory of a cluster is refused, and changes nothing there
    LmsRun into = a.run(Duration.ofSeconds(60), "restore", archive.toString());
    assertThat(into.exitCode()).isEqualTo(1);
    assertThat(into.output()).contains("already holds a cluster");
    assertThat(a.awaitConverged(WAIT)).isEqualTo(quiet);

    grpcA.close();
    grpcA = null;
    a.close(); // A is gone before B starts: two clusters at once are too much for two cores
  }

  @Test
  @Order(3)
  void aDamagedArchiveIsRefusedBeforeAnythingIsWritten() throws IOException {
    byte[] bytes = Files.readAllBytes(archive);
    String blob = submissions.values().iterator().next();
    int at = indexOf(bytes, ("blobs/" + blob).getBytes(StandardCharsets.US_ASCII));
    bytes[at + 512 + 1000] ^= 0x40; // inside that file's content, behind its 512-byte header
    Path damaged = BACKUPS.resolve("damaged.tar");
    Files.write(damaged, bytes);

    b = ClusterProcesses.create(ClusterProcesses.Options.defaults());
    LmsRun refused = b.run(Duration.ofSeconds(60), "restore", damaged.toString());

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output()).contains("blobs/" + blob + ": checksum mismatch");
    for (String kept : List.of("cluster-secret", "cluster.env", "n1", "n2", "n3")) {
      assertThat(b.dataDir().resolve(kept)).doesNotExist();
    }
  }

  @Test
  @Order(4)
  void theRestoredClusterHoldsTheBackedUpStateOnEveryNode() throws Exception {
    b.launch("restore", archive.toString());
    String digest = b.awaitConverged(WAIT);
    assertThat(digest).isEqualTo(manifest.stateDigest());
    assertThat(Files.readString(b.dataDir().resolve("cluster-secret")))
        .isNotEqualTo(Files.readString(a.dataDir().resolve("cluster-secret")));
    assertThat(b.dataDir().resolve("admin-password")).doesNotExist();

    try (var grpc = new ClusterChannels(b)) {
      // the accounts came along: the admin and the instructor sign in with their old passwords
      String admin = grpc.login(1, "admin", adminPassword).getToken();
      String instructor = grpc.login(2, INSTRUCTOR, PASSWORD).getToken();

      // a prefix of the writer's courses, nothing after the backup
      List<String> codes =
          as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(3)))
              .listMyCourses(EVERY_COURSE)
              .getCoursesList()
              .stream()
              .map(Course::getCode)
              .toList();
      List<String> live = codes.stream().filter(c -> c.startsWith(LIVE)).sorted().toList();
      assertThat(live).isNotEmpty().isEqualTo(written.subList(0, live.size()));
      assertThat(live.size()).isLessThan(written.size());
      assertThat(codes).contains("BACKUP-101").doesNotContain("AFTER-BACKUP");
      System.out.printf(
          "restored %d of the writer's %d courses (the backup was taken after the %d-th)%n",
          live.size(), written.size(), live.size());

      for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
        var grade =
            as(instructor, GradingServiceGrpc.newBlockingStub(grpc.node(node)))
                .getGrade(GetGradeRequest.newBuilder().setSubmissionId(gradedSubmission).build());
        assertThat(grade.getPoints()).as("the grade before the change, n%d", node).isEqualTo(81.5);

        // every file, byte for byte, from every node
        for (var m : materials.entrySet()) {
          assertThat(sha256(downloadMaterial(grpc, node, instructor, m.getKey())))
              .as("material %s from n%d", m.getKey(), node)
              .isEqualTo(m.getValue());
        }
        for (var s : submissions.entrySet()) {
          assertThat(sha256(downloadSubmission(grpc, node, instructor, s.getKey())))
              .as("submission %s from n%d", s.getKey(), node)
              .isEqualTo(s.getValue());
        }
      }
    }
  }

  @Test
  @Order(5)
  void theRestoredClusterTakesNewWritesAndARestartedNodeCatchesUp() {
    try (var grpc = new ClusterChannels(b)) {
      String admin = grpc.login(1, "admin", adminPassword).getToken();
      var courses = as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(1)));
      courses.createCourse(
          CreateCourseRequest.newBuilder().setCode("AFTER-RESTORE").setTitle("Go on").build());
      int restarted = b.leader() % ClusterProcesses.SIZE + 1; // a follower
      assertThat(
              b.run(Duration.ofMinutes(2), "stop-node", ClusterProcesses.nodeId(restarted))
                  .exitCode())
          .isZero();
      courses.createCourse(
          CreateCourseRequest.newBuilder().setCode("WHILE-DOWN").setTitle("Missed").build());
      b.startNode(restarted);
      b.awaitReady(WAIT);
      b.awaitConverged(WAIT);
      List<String> seen =
          as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(restarted)))
              .listMyCourses(EVERY_COURSE)
              .getCoursesList()
              .stream()
              .map(Course::getCode)
              .toList();
      assertThat(seen).contains("AFTER-RESTORE", "WHILE-DOWN");
    }
  }

  // ---- helpers

  private static void upload(String token, String title, String resource, String mediaType)
      throws IOException {
    byte[] bytes;
    try (InputStream in =
        BackupRestoreIT.class.getResourceAsStream("/knowledge/corpus/" + resource)) {
      bytes = in.readAllBytes();
    }
    var uploaded =
        Uploads.send(
            as(token, MaterialServiceGrpc.newStub(grpcA.node(2)))::uploadMaterial,
            List.of(
                UploadMaterialRequest.newBuilder()
                    .setHeader(
                        MaterialHeader.newBuilder()
                            .setCourseId(courseId)
                            .setTitle(title)
                            .setFileName(resource)
                            .setMediaType(mediaType)
                            .setSha256(Uploads.sha256(bytes)))
                    .build(),
                UploadMaterialRequest.newBuilder().setChunk(ByteString.copyFrom(bytes)).build()));
    materials.put(uploaded.getMaterial().getId(), Uploads.sha256(bytes));
  }

  private static byte[] downloadMaterial(
      ClusterChannels grpc, int node, String token, String materialId) {
    var bytes = new ByteArrayOutputStream();
    as(token, MaterialServiceGrpc.newBlockingStub(grpc.node(node)))
        .downloadMaterial(DownloadMaterialRequest.newBuilder().setMaterialId(materialId).build())
        .forEachRemaining(part -> bytes.writeBytes(part.getChunk().toByteArray()));
    return bytes.toByteArray();
  }

  private static byte[] downloadSubmission(
      ClusterChannels grpc, int node, String token, String submissionId) {
    var bytes = new ByteArrayOutputStream();
    as(token, SubmissionServiceGrpc.newBlockingStub(grpc.node(node)))
        .downloadSubmission(
            DownloadSubmissionRequest.newBuilder().setSubmissionId(submissionId).build())
        .forEachRemaining(part -> bytes.writeBytes(part.getChunk().toByteArray()));
    return bytes.toByteArray();
  }

  private static CreateUserRequest user(String username, Role role) {
    return CreateUserRequest.newBuilder()
        .setUsername(username)
        .setDisplayName(username)
        .setRole(role)
        .setPassword(PASSWORD)
        .build();
  }

  private static com.google.protobuf.Timestamp timestamp(Instant instant) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static String sha256(byte[] bytes) {
    return Uploads.sha256(bytes);
  }

  private static List<String> concat(
      java.util.Collection<String> first, java.util.Collection<String> second) {
    var all = new ArrayList<String>(first);
    all.addAll(second);
    return all;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

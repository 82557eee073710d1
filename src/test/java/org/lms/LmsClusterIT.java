package org.lms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.testing.ClusterChannels.as;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateCourseResponse;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialResponse;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;
import org.lms.testing.NodeLogFormat;

/**
 * Three real Payara Micro nodes deploying {@code target/lms.war}, started by {@code ./lms start}:
 * they elect one leader; a write accepted by one node is read on another (through the public gRPC
 * API, a session opened on one node used on another); after a {@code kill -9} of the leader writes
 * succeed again within seconds; a file uploaded while a node was down is served byte-identical by
 * that node once it is back with the same state; {@code ./lms stop} leaves no process behind. One
 * cluster for the whole class. A node's {@code /metrics} move with the writes proposed through it.
 * Every record in a node's log, from Payara's boot to its stop, names that node.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LmsClusterIT {

  @AutoClose private static ClusterProcesses cluster;
  @AutoClose private static ClusterChannels grpc;
  private static String adminToken;
  private static String instructorToken;
  private static String instructorId;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void startCluster() {
    cluster = ClusterProcesses.start();
    grpc = new ClusterChannels(cluster);
  }

  @Test
  @Order(1)
  void allNodesFollowOneLeaderInOneTerm() {
    List<NodeStatus> statuses = statuses();

    assertThat(statuses).extracting(NodeStatus::nodeId).containsExactly("n1", "n2", "n3");
    assertThat(statuses).allMatch(NodeStatus::ready, "ready");
    assertThat(statuses).extracting(NodeStatus::leaderId).containsOnly(statuses.get(0).leaderId());
    assertThat(statuses).extracting(NodeStatus::term).containsOnly(statuses.get(0).term());
    assertThat(statuses).filteredOn(NodeStatus::isLeader).hasSize(1);
    assertThat(cluster.httpStatus(1, "/health/ready")).isEqualTo(200);
    assertThat(cluster.httpStatus(2, "/health/live")).isEqualTo(200);
    assertThat(cluster.httpStatus(3, "/")).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aWriteAcceptedByOneNodeIsReadOnAnother() {
    // a session opened on node 1 is valid on node 3 at once
    String token = grpc.login(1, "admin", cluster.adminPassword()).getToken();
    CreateCourseResponse created =
        as(token, CourseServiceGrpc.newBlockingStub(grpc.node(2)))
            .createCourse(
                CreateCourseRequest.newBuilder().setCode("CS-101").setTitle("Raft 101").build());
    assertThat(created.getLogIndex()).isPositive();

    var seenOnNode3 =
        as(token, CourseServiceGrpc.newBlockingStub(grpc.node(3)))
            .listMyCourses(
                ListMyCoursesRequest.newBuilder()
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(created.getLogIndex()))
                    .build());
    assertThat(seenOnNode3.getCoursesList()).extracting(c -> c.getCode()).contains("CS-101");
    adminToken = token;

    // an instructor, created through node 3, signs in through node 2
    instructorId =
        as(token, UserServiceGrpc.newBlockingStub(grpc.node(3)))
            .createUser(
                CreateUserRequest.newBuilder()
                    .setUsername("carol")
                    .setDisplayName("Carol")
                    .setRole(Role.ROLE_INSTRUCTOR)
                    .setPassword("carol-password-1")
                    .build())
            .getUser()
            .getId();
    instructorToken = grpc.login(2, "carol", "carol-password-1").getToken();
  }

  @Test
  @Order(3)
  void metricsExistAndMoveWithTheWorkload() {
    Metrics before = Metrics.scrape(1);
    assertThat(before.names())
        .contains(
            "lms_raft_term",
            "lms_raft_commit_index",
            "lms_raft_applied_index",
            "lms_raft_leader",
            "lms_raft_leader_changes_total",
            "lms_commands_total");
    assertThat(before.sum("lms_raft_term")).isPositive();
    assertThat(before.sum("lms_raft_leader_changes_total")).isPositive();

    // a course, a file in it and a refused duplicate, all proposed through node 1
    String courseId = createCourse(1, "METRICS-1");
    byte[] bytes = new byte[4096];
    new Random(7).nextBytes(bytes);
    upload(1, courseId, bytes);
    assertThatThrownBy(() -> createCourse(1, "METRICS-1"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));

    Metrics after = Metrics.scrape(1);
    System.out.println("metrics of n1 after the workload:\n" + after.lmsLines());
    String created = "type=\"CreateCourse\"";
    // the duplicate is refused by node 1's check before the log: applied and timed once
    assertThat(after.sum("lms_commands_total", created) - before.sum("lms_commands_total", created))
        .isEqualTo(1);
    String[] duplicate = {"reason=\"DUPLICATE_COURSE_CODE\"", "stage=\"check\""};
    assertThat(
            after.sum("lms_rejections_total", duplicate)
                - before.sum("lms_rejections_total", duplicate))
        .isEqualTo(1);
    assertThat(
            after.sum("lms_command_seconds_count", created)
                - before.sum("lms_command_seconds_count", created))
        .isEqualTo(1);
    String stored = "direction=\"stored\"";
    assertThat(
            after.sum("lms_blob_bytes_total", stored) - before.sum("lms_blob_bytes_total", stored))
        .isEqualTo(bytes.length);
    // CreateCourse and AddMaterial
    assertThat(after.sum("lms_raft_applied_index"))
        .isGreaterThanOrEqualTo(before.sum("lms_raft_applied_index") + 2);
    assertThat(after.sum("lms_raft_commit_index"))
        .isGreaterThanOrEqualTo(before.sum("lms_raft_commit_index") + 2);
  }

  @Test
  @Order(4)
  void aKilledLeaderIsReplacedAndRejoinsWithTheSameState() {
    int oldLeader = cluster.leader();
    long oldTerm = cluster.status(oldLeader).term();
    int[] survivors = IntStream.rangeClosed(1, 3).filter(n -> n != oldLeader).toArray();

    long killed = System.nanoTime();
    cluster.kill9Node(oldLeader);
    cluster.awaitReady(Duration.ofSeconds(30)); // a new leader among the survivors
    long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf(
        "failover: %s killed, %s leads after %d ms%n",
        ClusterProcesses.nodeId(oldLeader),
        cluster.status(survivors[0]).leaderId(),
        failoverMillis);
    assertThat(cluster.status(survivors[0]).term()).isGreaterThan(oldTerm);
    assertThat(cluster.leader()).isNotEqualTo(oldLeader);

    // writes through a survivor succeed again; the gap is measured, the bound only keeps the
    // test from waiting forever
    long writable = writeUntilAccepted(survivors[0], Duration.ofSeconds(30));
    System.out.printf(
        "writes accepted again %d ms after the kill%n", (writable - killed) / 1_000_000);

    // a file uploaded while the old leader is down...
    byte[] bytes = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(bytes);
    String courseId = createCourse(survivors[1], "FILES-1");
    UploadMaterialResponse uploaded = upload(survivors[1], courseId, bytes);
    assertThat(uploaded.getMaterial().getSizeBytes()).isEqualTo(bytes.length);

    long restarted = System.nanoTime();
    cluster.startNode(oldLeader);
    cluster.awaitReady(Duration.ofSeconds(60));
    cluster.awaitConverged(Duration.ofSeconds(60));
    System.out.printf(
        "restart: %s serving and caught up after %.1f s%n",
        ClusterProcesses.nodeId(oldLeader), (System.nanoTime() - restarted) / 1e9);

    List<NodeStatus> statuses = statuses();
    assertThat(statuses)
        .extracting(NodeStatus::appliedIndex)
        .containsOnly(statuses.get(0).appliedIndex());
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(cluster::digest))
        .containsOnly(cluster.digest(1));

    // ...is served byte-identical by the node that was down
    assertThat(download(oldLeader, uploaded.getMaterial().getId())).isEqualTo(bytes);
  }

  @Test
  @Order(5)
  void stopLeavesNoProcess() {
    assertThat(cluster.liveProcesses()).hasSize(3);

    cluster.stopAll();

    assertThat(cluster.liveProcesses()).isEmpty();
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(cluster::pid)).allMatch(pid -> pid.isEmpty());
  }

  @Test
  @Order(6)
  void everyRecordInANodesLogNamesThatNode() throws IOException {
    // n2's whole log, from Payara's first boot line to its shutdown (stopped in the step before)
    List<String> lines = Files.readAllLines(cluster.nodeLog(2));
    List<String> records =
        lines.stream().filter(l -> NodeLogFormat.RECORD_START.matcher(l).matches()).toList();
    System.out.println("n2's log: " + lines.size() + " lines, " + records.size() + " records");

    assertThat(records)
        .allSatisfy(
            line -> {
              Matcher record = NodeLogFormat.RECORD.matcher(line);
              assertThat(record.matches()).as("a record line: %s", line).isTrue();
              assertThat(record.group(1)).as(line).isEqualTo("n2");
            });
    // Payara's boot, Ratis, the LMS's loggers and its lifecycle lines up to the last
    assertThat(records)
        .anyMatch(l -> l.contains("] [n2] [INFO] [PayaraMicro] "))
        .anyMatch(l -> l.contains("] [n2] [INFO] [org.apache.ratis."))
        .anyMatch(l -> l.contains("] [n2] [INFO] [org.lms.infrastructure.grpc.NodeGrpcServer] "))
        .anyMatch(l -> l.contains("] [n2] [INFO] [org.lms.infrastructure.raft.RatisNode] "))
        .anyMatch(
            l -> l.contains("] [INFO] [org.lms.infrastructure.node.LmsNode] LMS node n2 started"))
        .anyMatch(
            l ->
                l.matches(
                    ".*\\] \\[INFO\\] \\[org\\.lms\\.infrastructure\\.node\\.LmsNode\\] LMS node n2"
                        + " stopped in \\d+ ms"));
    // no record in another format: neither Payara's ODL nor Java's default two-line one
    assertThat(lines)
        .noneMatch(l -> l.contains("[levelValue: "))
        .noneMatch(l -> l.matches("^[A-Z][a-z]{2} \\d{1,2}, \\d{4} .*"))
        .noneMatch(l -> l.matches("^(INFO|WARNING|SEVERE): .*"));
  }

  // ---- the gRPC client side

  private static String createCourse(int node, String code) {
    return as(adminToken, CourseServiceGrpc.newBlockingStub(grpc.node(node)))
        .createCourse(
            CreateCourseRequest.newBuilder()
                .setCode(code)
                .setTitle(code)
                .addInstructorIds(instructorId)
                .build())
        .getCourse()
        .getId();
  }

  /** Proposes course creations through {@code node} until one is accepted; returns when. */
  private static long writeUntilAccepted(int node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int attempt = 0; ; attempt++) {
      try {
        createCourse(node, "AFTER-KILL-" + attempt);
        return System.nanoTime();
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no write accepted within " + timeout, e);
        }
      }
    }
  }

  private static UploadMaterialResponse upload(int node, String courseId, byte[] bytes) {
    var response = new CompletableFuture<UploadMaterialResponse>();
    StreamObserver<UploadMaterialRequest> requests =
        as(instructorToken, MaterialServiceGrpc.newStub(grpc.node(node)))
            .uploadMaterial(
                new StreamObserver<>() {
                  @Override
                  public void onNext(UploadMaterialResponse value) {
                    response.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    response.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        UploadMaterialRequest.newBuilder()
            .setHeader(
                MaterialHeader.newBuilder()
                    .setCourseId(courseId)
                    .setTitle("Lecture notes")
                    .setFileName("notes.bin")
                    .setMediaType("application/octet-stream"))
            .build());
    for (int offset = 0; offset < bytes.length; offset += 64 * 1024) {
      int length = Math.min(64 * 1024, bytes.length - offset);
      requests.onNext(
          UploadMaterialRequest.newBuilder()
              .setChunk(ByteString.copyFrom(bytes, offset, length))
              .build());
    }
    requests.onCompleted();
    return response.orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static byte[] download(int node, String materialId) {
    var out = new ByteArrayOutputStream();
    Iterator<DownloadMaterialResponse> parts =
        as(instructorToken, MaterialServiceGrpc.newBlockingStub(grpc.node(node)))
            .downloadMaterial(
                DownloadMaterialRequest.newBuilder().setMaterialId(materialId).build());
    parts.forEachRemaining(p -> out.writeBytes(p.getChunk().toByteArray()));
    return out.toByteArray();
  }

  /** One scrape of a node's {@code /metrics}: Prometheus text, one sample per line. */
  private record Metrics(List<String> lines) {

    static Metrics scrape(int node) {
      var request =
          HttpRequest.newBuilder(URI.create(cluster.baseUrl(node) + "/metrics"))
              .timeout(Duration.ofSeconds(10))
              .build();
      try {
        HttpResponse<String> response =
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new Metrics(response.body().lines().filter(l -> !l.startsWith("#")).toList());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** The metric names that have samples, e.g. {@code lms_commands_total}. */
    Set<String> names() {
      return lines.stream().map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /** The sum of the samples of {@code name} that carry all of {@code labels}; 0 if none. */
    double sum(String name, String... labels) {
      return lines.stream()
          .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
          .filter(l -> Arrays.stream(labels).allMatch(l.substring(0, l.lastIndexOf(' '))::contains))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    }

    String lmsLines() {
      return lines.stream().filter(l -> l.startsWith("lms_")).collect(Collectors.joining("\n"));
    }
  }

  private static List<NodeStatus> statuses() {
    return IntStream.rangeClosed(1, 3).mapToObj(cluster::status).toList();
  }
}

package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.ClusterChannels.as;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialResponse;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;

/**
 * A node killed with SIGKILL and replaced by a new, empty one through {@code ./lms replace-node},
 * against real Payara Micro nodes: writes go on through the survivors while the new node starts,
 * catches up and joins; it ends with the others' state and serves the file uploaded before; it is a
 * voter (with an original member killed, it and the other one commit) and reachable for files (an
 * upload through a survivor that never restarted reaches a majority with it); the killed original
 * comes back and all three converge. Bad requests to the membership endpoint change nothing. The
 * Raft-level counterpart, in one JVM, is {@code RatisMembershipIT}.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class NodeReplacementIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String INSTRUCTOR = "rita";
  private static final String PASSWORD = "rita-password-1";
  private static final Pattern CAUGHT_UP =
      Pattern.compile("replaced by n4, which caught up to index (\\d+) in (\\d+)s");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aKilledNodeIsReplacedByAnEmptyOneThatCatchesUpWhileTheClusterServes() throws Exception {
    // snapshots every 50 entries: the new node is sent a snapshot, then the log after it, as in a
    // cluster that has run for a while
    try (var cluster =
            ClusterProcesses.start(
                ClusterProcesses.Options.defaults().env("LMS_SNAPSHOT_THRESHOLD", "50"));
        var grpc = new ClusterChannels(cluster)) {
      String admin = grpc.login(1, "admin", cluster.adminPassword()).getToken();
      var users = as(admin, UserServiceGrpc.newBlockingStub(grpc.node(1)));
      String instructorId =
          users
              .createUser(
                  CreateUserRequest.newBuilder()
                      .setUsername(INSTRUCTOR)
                      .setDisplayName("Rita")
                      .setRole(Role.ROLE_INSTRUCTOR)
                      .setPassword(PASSWORD)
                      .build())
              .getUser()
              .getId();
      String courseId =
          as(admin, CourseServiceGrpc.newBlockingStub(grpc.node(2)))
              .createCourse(
                  CreateCourseRequest.newBuilder()
                      .setCode("REPLACE-1")
                      .setTitle("Before the replacement")
                      .addInstructorIds(instructorId)
                      .build())
              .getCourse()
              .getId();
      String instructor = grpc.login(2, INSTRUCTOR, PASSWORD).getToken();
      byte[] notes = Uploads.randomBytes(3 * 1024 * 1024 + 17, 7);
      UploadMaterialResponse before = upload(grpc.node(1), instructor, courseId, notes, "before");
      for (int i = 0; i < 60; i++) {
        createCourse(grpc.node(1 + i % 2), admin, "BEFORE-" + i);
      }

      cluster.kill9Node(3);
      cluster.awaitReady(WAIT);

      // the cluster keeps serving while n3 is replaced
      var written = new AtomicInteger();
      var failures = new CopyOnWriteArrayList<String>();
      var writing = new AtomicBoolean(true);
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                while (writing.get()) {
                  int n = written.get();
                  try {
                    createCourse(grpc.node(1 + n % 2), admin, "DURING-" + n);
                    written.incrementAndGet();
                    Thread.sleep(100);
                  } catch (StatusRuntimeException e) {
                    failures.add("DURING-" + n + " through n" + (1 + n % 2) + ": " + e.getStatus());
                    written.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              });
      long replacing = System.nanoTime();
      String printed;
      try {
        printed = cluster.replaceNode(3, 4);
      } finally {
        writing.set(false);
        writer.get(60, TimeUnit.SECONDS);
      }
      double replaceSeconds = (System.nanoTime() - replacing) / 1e9;
      assertThat(failures).as("writes while n3 was replaced").isEmpty();
      assertThat(written.get()).as("writes while n3 was replaced").isPositive();
      assertThat(cluster.members()).containsExactly(1, 2, 4);
      assertThat(cluster.raftMembers(1)).containsExactly("n1", "n2", "n4");
      assertThat(cluster.raftMembers(4)).containsExactly("n1", "n2", "n4");
      try (var dirs = Files.list(cluster.dataDir())) {
        assertThat(dirs.map(p -> p.getFileName().toString()))
            .as("n3's directory kept aside")
            .anyMatch(name -> name.startsWith("n3.replaced-"))
            .doesNotContain("n3");
      }

      // n4 has what the others have, serves the file uploaded before it existed, and writes
      String digest = cluster.awaitConverged(WAIT);
      ManagedChannel n4 =
          ManagedChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort(4))
              .usePlaintext()
              .maxInboundMessageSize(8 * 1024 * 1024)
              .build();
      try {
        assertThat(download(n4, instructor, before)).isEqualTo(notes);
        long onN4 = createCourse(n4, admin, "WRITTEN-ON-N4");
        cluster.awaitApplied(onN4, WAIT);
        Matcher caughtUp = CAUGHT_UP.matcher(printed);
        assertThat(caughtUp.find()).as(printed).isTrue();
        System.out.printf(
            "n3 replaced by n4 in %.1f s (./lms replace-node, from the start of n4 until it had"
                + " applied index %s: %s s; %d writes meanwhile, none failed); digest %s%n%s",
            replaceSeconds,
            caughtUp.group(1),
            caughtUp.group(2),
            written.get(),
            digest,
            changeLines(cluster));

        badRequestsChangeNothing(cluster);

        // n4 votes: with n1 gone, n2 and n4 commit; and n2, started before n4 existed, places a
        // file on a majority with n4
        cluster.kill9Node(1);
        long withoutN1 = retryUntilCommitted(() -> createCourse(grpc.node(2), admin, "NO-N1"));
        assertThat(withoutN1).isPositive();
        byte[] later = Uploads.randomBytes(1024 * 1024 + 5, 11);
        UploadMaterialResponse after = upload(grpc.node(2), instructor, courseId, later, "after");
        assertThat(download(n4, instructor, after)).isEqualTo(later);

        // n1 comes back, catches up and fetches the file it missed
        cluster.startNode(1);
        cluster.awaitReady(WAIT);
        assertThat(cluster.awaitConverged(WAIT)).isNotEqualTo(digest);
        assertThat(download(grpc.node(1), instructor, after)).isEqualTo(later);
        assertThat(cluster.raftMembers(1)).containsExactly("n1", "n2", "n4");
      } finally {
        ClusterChannels.shutdown(List.of(n4));
      }

      cluster.stopAll();
      assertThat(cluster.liveProcesses()).as("./lms stop leaves no node").isEmpty();
    }
  }

  /** Refused requests to the membership endpoint: each a status and a line, nothing changed. */
  private void badRequestsChangeNothing(ClusterProcesses cluster) throws Exception {
    String secret = Files.readString(cluster.dataDir().resolve("cluster-secret")).strip();
    String n4Raft = raftAddress(cluster, "n4");
    assertThat(post(cluster, null, Map.of("remove", "n2", "add", "n5", "address", "127.0.0.1:1")))
        .startsWith("401 this operation is for the cluster's operator");
    assertThat(post(cluster, secret, Map.of("remove", "n9", "add", "n5", "address", "127.0.0.1:1")))
        .isEqualTo("404 n9 is not a member of the group (members: n1, n2, n4)");
    assertThat(post(cluster, secret, Map.of("remove", "n2", "add", "n5", "address", "127.0.0.1:1")))
        .startsWith("409 n2 still answers (Raft role ");
    assertThat(post(cluster, secret, Map.of("remove", "n3", "add", "n4", "address", "127.0.0.1:1")))
        .startsWith("404 n3 is not a member");
    assertThat(post(cluster, secret, Map.of("remove", "n4", "add", "n1", "address", "127.0.0.1:1")))
        .isEqualTo("409 n1 is a member already; the new node needs an id of its own");
    assertThat(post(cluster, secret, Map.of("remove", "n4", "add", "n5", "address", "n5:port")))
        .isEqualTo("400 address 'n5:port' is not host:port");
    assertThat(post(cluster, secret, Map.of("remove", "n4", "add", "n4", "address", n4Raft)))
        .startsWith("400 the new node needs a new id, not n4");
    assertThat(post(cluster, secret, Map.of("add", "n5", "address", "127.0.0.1:1")))
        .isEqualTo("400 'remove' is missing");
    for (int node : cluster.members()) {
      assertThat(cluster.raftMembers(node)).as("n%d", node).containsExactly("n1", "n2", "n4");
    }
  }

  /** {@code POST /api/admin/members} to n1: the status and the one-line answer. */
  private String post(ClusterProcesses cluster, String secret, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var request =
        HttpRequest.newBuilder(URI.create(cluster.baseUrl(1) + "/api/admin/members"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header("X-Lms-Cluster-Secret", secret);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body().strip()).as("one line").doesNotContain("\n");
    return response.statusCode() + " " + response.body().strip();
  }

  /** n4's Raft address as cluster.env records it. */
  private static String raftAddress(ClusterProcesses cluster, String node) throws Exception {
    String env = Files.readString(cluster.dataDir().resolve("cluster.env"));
    String prefix = "CLUSTER_LMS_" + node.toUpperCase();
    Matcher host = Pattern.compile("(?m)^" + prefix + "_HOST=(.+)$").matcher(env);
    Matcher port = Pattern.compile("(?m)^" + prefix + "_RAFT_PORT=(\\d+)$").matcher(env);
    assertThat(host.find() && port.find()).as(env).isTrue();
    return host.group(1) + ":" + port.group(1);
  }

  /** What the nodes logged about the change (the one that made it says how long it took). */
  private static String changeLines(ClusterProcesses cluster) throws Exception {
    var lines = new ArrayList<String>();
    try (Stream<Path> dirs = Files.list(cluster.dataDir())) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Path log = dir.resolve("node.log");
        if (Files.exists(log)) {
          try (Stream<String> all = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            all.filter(l -> l.contains("Replac") && l.contains(" by n4"))
                .map(l -> "  " + dir.getFileName() + ": " + l.strip())
                .forEach(lines::add);
          }
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static long createCourse(ManagedChannel node, String token, String code) {
    return as(token, CourseServiceGrpc.newBlockingStub(node))
        .createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle(code).build())
        .getLogIndex();
  }

  /** A write retried while the survivors elect a leader; its log index. */
  private static long retryUntilCommitted(java.util.function.LongSupplier write) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        return write.getAsLong();
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static UploadMaterialResponse upload(
      ManagedChannel node, String token, String courseId, byte[] bytes, String title) {
    var messages = new ArrayList<UploadMaterialRequest>();
    messages.add(
        UploadMaterialRequest.newBuilder()
            .setHeader(
                MaterialHeader.newBuilder()
                    .setCourseId(courseId)
                    .setTitle(title)
                    .setFileName(title + ".bin")
                    .setMediaType("application/octet-stream")
                    .setSha256(Uploads.sha256(bytes)))
            .build());
    Uploads.chunks(bytes, 256 * 1024)
        .forEach(c -> messages.add(UploadMaterialRequest.newBuilder().setChunk(c).build()));
    return Uploads.send(as(token, MaterialServiceGrpc.newStub(node))::uploadMaterial, messages);
  }

  private static byte[] download(ManagedChannel node, String token, UploadMaterialResponse of) {
    var parts =
        as(token, MaterialServiceGrpc.newBlockingStub(node))
            .downloadMaterial(
                DownloadMaterialRequest.newBuilder()
                    .setMaterialId(of.getMaterial().getId())
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(of.getLogIndex()))
                    .build());
    DownloadMaterialResponse first = parts.next();
    assertThat(first.getMaterial().getSha256()).isEqualTo(of.getMaterial().getSha256());
    var bytes = new ByteArrayOutputStream();
    parts.forEachRemaining(part -> bytes.writeBytes(part.getChunk().toByteArray()));
    return bytes.toByteArray();
  }
}

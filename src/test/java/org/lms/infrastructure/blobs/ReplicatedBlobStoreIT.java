package org.lms.infrastructure.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.infrastructure.blobs.FileBlobStoreTest.randomBytes;
import static org.lms.infrastructure.blobs.FileBlobStoreTest.sha256;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobUnavailableException;
import org.lms.application.port.BlobStore.StoredBlob;
import org.lms.infrastructure.blobs.v1.BlobReplicationGrpc;
import org.lms.infrastructure.blobs.v1.HasRequest;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.grpc.ClusterSecretInterceptor;
import org.lms.infrastructure.grpc.NodeGrpcServer;
import org.lms.infrastructure.grpc.PeerChannels;
import org.lms.testing.FreePorts;

/**
 * Three nodes in one JVM, each with its own directory, blob store and real gRPC server on a
 * loopback port, replicating to each other as the cluster does.
 */
@Timeout(120)
class ReplicatedBlobStoreIT {

  private static final String SECRET = "correct horse battery staple";
  private static final long LIMIT = NodeConfig.DEFAULT_MAX_UPLOAD_BYTES;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path root;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, String> grpcPeers = new LinkedHashMap<>();

  @BeforeEach
  void startCluster() throws IOException {
    List<String> ids = List.of("n1", "n2", "n3");
    int[] ports = FreePorts.loopback(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      grpcPeers.put(ids.get(i), "127.0.0.1:" + ports[i]);
    }
    for (String id : grpcPeers.keySet()) {
      Node node = new Node(id);
      nodes.put(id, node);
      node.start();
    }
  }

  @AfterEach
  void stopCluster() {
    nodes.values().forEach(Node::stop);
  }

  @Test
  void putReturnsOnceAMajorityHoldsTheBlobAndReachesEveryNode() throws Exception {
    byte[] bytes = randomBytes(1_000_000, 100);

    StoredBlob blob = node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT);

    assertThat(blob).isEqualTo(new StoredBlob(sha256(bytes), bytes.length));
    assertThat(node("n1").files.has(blob.sha256())).isTrue();
    long peersHolding =
        Stream.of("n2", "n3").filter(id -> node(id).files.has(blob.sha256())).count();
    assertThat(peersHolding).as("peers holding the blob when put returned").isPositive();
    awaitTrue(() -> node("n2").files.has(blob.sha256()) && node("n3").files.has(blob.sha256()));
    for (Node node : nodes.values()) {
      assertThat(Files.readAllBytes(node.files.path(blob.sha256()))).isEqualTo(bytes);
      assertThat(tempFiles(node)).isEmpty();
    }
  }

  @Test
  void putSucceedsWithOneNodeDown() throws Exception {
    node("n3").stopServer();
    byte[] bytes = randomBytes(100_000, 101);

    StoredBlob blob = node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT);

    assertThat(node("n2").files.has(blob.sha256())).isTrue();
    assertThat(node("n3").files.has(blob.sha256())).isFalse();
  }

  @Test
  void putFailsWithTwoNodesDown() {
    node("n2").stopServer();
    node("n3").stopServer();
    byte[] bytes = randomBytes(100_000, 102);

    assertThatThrownBy(() -> node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT))
        .isInstanceOf(BlobUnavailableException.class);
  }

  @Test
  void putGivesUpAfterTheTimeoutWhenPeersHang() throws Exception {
    node("n2").stopServer();
    node("n3").stopServer();
    int hungPort = Integer.parseInt(grpcPeers.get("n3").split(":")[1]);
    // A listening socket nobody accepts from: the TCP handshake succeeds, gRPC never answers.
    try (ServerSocket hung = new ServerSocket(hungPort, 50, InetAddress.getLoopbackAddress());
        PeerChannels channels = new PeerChannels("n1", grpcPeers, SECRET);
        ReplicatedBlobStore impatient =
            new ReplicatedBlobStore(
                node("n1").config, node("n1").files, channels, Duration.ofSeconds(2))) {
      // the class's @Timeout is what fails this test if put waits for the hung peer forever;
      // no elapsed time is asserted (tests never assert timings)
      assertThatThrownBy(
              () -> impatient.put(new ByteArrayInputStream(randomBytes(1000, 103)), LIMIT))
          .isInstanceOf(BlobUnavailableException.class);
    }
  }

  @Test
  void restartedNodeFetchesABlobItMissedOnFirstRead() throws Exception {
    node("n3").stopServer();
    byte[] bytes = randomBytes(500_000, 104);
    StoredBlob blob = node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT);
    node("n3").restart();
    assertThat(node("n3").blobs.hasLocally(blob.sha256())).isFalse();

    try (InputStream in = node("n3").blobs.open(blob.sha256())) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }

    assertThat(node("n3").blobs.hasLocally(blob.sha256())).isTrue();
    assertThat(Files.readAllBytes(node("n3").files.path(blob.sha256()))).isEqualTo(bytes);
  }

  @Test
  void concurrentReadersOfAMissedBlobAllGetItsBytes() throws Exception {
    node("n3").stopServer();
    byte[] bytes = randomBytes(2_000_000, 111);
    StoredBlob blob = node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT);
    node("n3").restart();
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> reads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reads.add(
            readers.submit(
                () -> {
                  try (InputStream in = node("n3").blobs.open(blob.sha256())) {
                    return in.readAllBytes();
                  }
                }));
      }
      node("n3").blobs.fetchMissing(List.of(blob.sha256()));
      for (Future<byte[]> read : reads) {
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(bytes);
      }
    } finally {
      readers.shutdownNow();
    }
    assertThat(tempFiles(node("n3"))).isEmpty();
  }

  @Test
  void fetchMissingRepairsInTheBackground() throws Exception {
    node("n3").stopServer();
    byte[] first = randomBytes(300_000, 105);
    byte[] second = randomBytes(10, 106);
    StoredBlob a = node("n1").blobs.put(new ByteArrayInputStream(first), LIMIT);
    StoredBlob b = node("n2").blobs.put(new ByteArrayInputStream(second), LIMIT);
    node("n3").restart();

    node("n3").blobs.fetchMissing(List.of(a.sha256(), b.sha256(), "c".repeat(64)));

    awaitTrue(() -> node("n3").files.has(a.sha256()) && node("n3").files.has(b.sha256()));
    assertThat(Files.readAllBytes(node("n3").files.path(a.sha256()))).isEqualTo(first);
    assertThat(Files.readAllBytes(node("n3").files.path(b.sha256()))).isEqualTo(second);
    assertThat(node("n3").files.has("c".repeat(64))).isFalse();
  }

  @Test
  void openOfABlobNoNodeHoldsThrowsNotFound() {
    assertThatThrownBy(() -> node("n2").blobs.open("d".repeat(64)))
        .isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void callsWithoutTheClusterSecretAreRefused() throws Exception {
    HasRequest request = HasRequest.newBuilder().setSha256("e".repeat(64)).build();
    try (PeerChannels wrong = new PeerChannels("n1", grpcPeers, "not the secret")) {
      assertThatThrownBy(
              () -> BlobReplicationGrpc.newBlockingStub(wrong.channel("n2")).has(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

      try (ReplicatedBlobStore intruder =
          new ReplicatedBlobStore(node("n1").config, node("n1").files, wrong, TIMEOUT)) {
        byte[] bytes = randomBytes(1000, 107);
        assertThatThrownBy(() -> intruder.put(new ByteArrayInputStream(bytes), LIMIT))
            .isInstanceOf(BlobUnavailableException.class)
            .cause()
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(node("n2").files.has(sha256(bytes))).isFalse();
        assertThat(node("n3").files.has(sha256(bytes))).isFalse();
      }
    }

    String[] hostPort = grpcPeers.get("n2").split(":");
    ManagedChannel anonymous =
        NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
            .usePlaintext()
            .build();
    try {
      assertThatThrownBy(() -> BlobReplicationGrpc.newBlockingStub(anonymous).has(request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    } finally {
      anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void corruptedBytesFromAPeerAreNotTrusted() throws Exception {
    byte[] bytes = randomBytes(200_000, 108);
    String sha256 = sha256(bytes);
    byte[] rotten = bytes.clone();
    rotten[123_456] ^= 0x40;
    // n2 is asked first (peers in id order); its copy rotted on disk, n3's is sound.
    Files.write(node("n2").files.path(sha256), rotten);
    node("n3").files.put(new ByteArrayInputStream(bytes), LIMIT);

    try (InputStream in = node("n1").blobs.open(sha256)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(Files.readAllBytes(node("n1").files.path(sha256))).isEqualTo(bytes);

    // Only the rotten copy exists: nothing is served and nothing is kept.
    byte[] other = randomBytes(50_000, 109);
    byte[] otherRotten = other.clone();
    otherRotten[0] ^= 1;
    Files.write(node("n2").files.path(sha256(other)), otherRotten);

    assertThatThrownBy(() -> node("n1").blobs.open(sha256(other)))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(node("n1").files.has(sha256(other))).isFalse();
    assertThat(tempFiles(node("n1"))).isEmpty();
  }

  @Test
  void twentyMegabyteBlobRoundTrip() throws Exception {
    node("n3").stopServer();
    byte[] bytes = randomBytes(20 * 1024 * 1024, 110);
    String sha256 = sha256(bytes);

    StoredBlob blob = node("n1").blobs.put(new ByteArrayInputStream(bytes), LIMIT);
    node("n3").restart();
    String fetchedDigest;
    try (DigestInputStream in =
        new DigestInputStream(
            node("n3").blobs.open(sha256), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStreamSink.INSTANCE);
      fetchedDigest = HexFormat.of().formatHex(in.getMessageDigest().digest());
    }

    assertThat(blob).isEqualTo(new StoredBlob(sha256, bytes.length));
    assertThat(fetchedDigest).isEqualTo(sha256);
    for (Node node : nodes.values()) {
      assertThat(node.files.size(sha256)).isEqualTo(bytes.length);
      assertThat(sha256(Files.readAllBytes(node.files.path(sha256)))).isEqualTo(sha256);
    }
  }

  private Node node(String id) {
    return nodes.get(id);
  }

  private static List<Path> tempFiles(Node node) throws IOException {
    try (Stream<Path> files = Files.list(node.dir.resolve("blobs").resolve(".tmp"))) {
      return files.toList();
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(until);
      Thread.sleep(50);
    }
  }

  /** Discards what is written: the digest is all the 20 MB test keeps in memory twice. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

  /** One node: its directory, its stores, its server; restartable like a process. */
  private final class Node {
    final String id;
    final Path dir;
    final NodeConfig config;
    FileBlobStore files;
    PeerChannels channels;
    ReplicatedBlobStore blobs;
    NodeGrpcServer server;

    Node(String id) {
      this.id = id;
      this.dir = root.resolve(id);
      this.config =
          new NodeConfig(
              id,
              dir,
              dir,
              grpcPeers,
              grpcPeers,
              port(),
              SECRET,
              LIMIT,
              Optional.empty(),
              Duration.ofSeconds(1),
              Duration.ofSeconds(2),
              1000,
              NodeConfig.DEFAULT_LOG_SEGMENT_BYTES);
    }

    int port() {
      return Integer.parseInt(grpcPeers.get(id).split(":")[1]);
    }

    void start() throws IOException {
      files = new FileBlobStore(dir);
      channels = new PeerChannels(config);
      blobs = new ReplicatedBlobStore(config, files, channels, TIMEOUT);
      server =
          NodeGrpcServer.builder("127.0.0.1", port())
              .addService(
                  new BlobReplicationService(files, LIMIT), new ClusterSecretInterceptor(SECRET))
              .build()
              .start();
    }

    void stopServer() {
      if (server != null) {
        server.stop();
        server = null;
      }
    }

    void stop() {
      stopServer();
      if (blobs != null) {
        blobs.close();
      }
      if (channels != null) {
        channels.close();
      }
    }

    /** Stops everything and starts afresh over the same directory, as a process restart does. */
    void restart() throws IOException {
      stop();
      start();
    }
  }
}

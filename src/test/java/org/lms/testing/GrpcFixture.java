package org.lms.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.lms.application.LmsApplication;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.blobs.BlobReplicationService;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.blobs.ReplicatedBlobStore;
import org.lms.infrastructure.grpc.ClusterSecretInterceptor;
import org.lms.infrastructure.grpc.NodeGrpcServer;
import org.lms.infrastructure.grpc.PeerChannels;
import org.lms.infrastructure.security.Pbkdf2PasswordHasher;
import org.lms.interfaces.grpc.BearerTokenInterceptor;
import org.lms.interfaces.grpc.LmsGrpcServices;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;

/**
 * The public gRPC API of one node of a real three-peer cluster, in this JVM: a {@link RatisCluster}
 * (Ratis peers, each with its own MongoDB database), a blob store per peer replicating over real
 * gRPC servers, and an {@link LmsApplication} on one peer served by an in-process gRPC server with
 * {@code directExecutor()}. The first administrator exists. Tests share one fixture through {@link
 * Shared} and keep apart by giving every name they create a {@link #unique} suffix.
 */
public final class GrpcFixture implements AutoCloseable {
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-password-1";

  /** Small, so that an oversize upload costs little. */
  public static final long MAX_UPLOAD_BYTES = 256 * 1024;

  private static final String SECRET = "grpc-fixture-cluster-secret";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final RatisCluster cluster;
  private final int apiPeer;
  private final List<FileBlobStore> files = new ArrayList<>();
  private final List<NodeGrpcServer> blobServers = new ArrayList<>();
  private final PeerChannels peerChannels;
  private final ReplicatedBlobStore blobs;
  private final Path spoolDir;
  private final LmsApplication app;
  private final LmsGrpcServices api;
  private final Server server;
  private final ManagedChannel channel;
  private final String adminToken;

  private GrpcFixture() throws IOException {
    cluster = RatisCluster.start(1000);
    try {
      cluster.awaitLeader(WAIT);
      apiPeer = cluster.anyFollower(WAIT);
      Map<String, String> grpcPeers = new LinkedHashMap<>();
      for (int i = 0; i < cluster.size(); i++) {
        var store = new FileBlobStore(cluster.config(i).fileStorageDir());
        files.add(store);
        var server =
            NodeGrpcServer.builder("127.0.0.1", 0)
                .addService(
                    new BlobReplicationService(store, MAX_UPLOAD_BYTES),
                    new ClusterSecretInterceptor(SECRET))
                .build()
                .start();
        blobServers.add(server);
        grpcPeers.put(cluster.config(i).nodeId(), "127.0.0.1:" + server.port());
      }
      var config = cluster.config(apiPeer);
      peerChannels = new PeerChannels(config.nodeId(), grpcPeers, SECRET);
      blobs = new ReplicatedBlobStore(config, files.get(apiPeer), peerChannels);
      spoolDir = Files.createTempDirectory("lms-grpc-spool-");
      app =
          new LmsApplication(
              cluster.gateway(apiPeer),
              cluster.store(apiPeer),
              new LmsStateMachine(cluster.store(apiPeer)),
              blobs,
              new Pbkdf2PasswordHasher(1000),
              Clock.systemUTC(),
              Duration.ofHours(1),
              MAX_UPLOAD_BYTES);
      if (!app.accounts().bootstrapAdmin(ADMIN, ADMIN_PASSWORD.toCharArray())) {
        throw new IllegalStateException("a new cluster should take its first administrator");
      }
      api = new LmsGrpcServices(app, cluster.gateway(apiPeer), cluster.status(apiPeer), spoolDir);
      String name = "lms-api-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
      var builder =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .maxInboundMessageSize(LmsGrpcServices.MAX_INBOUND_MESSAGE_BYTES);
      for (ServerServiceDefinition service : api.services()) {
        builder.addService(service);
      }
      server = builder.build().start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      adminToken = login(ADMIN, ADMIN_PASSWORD);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts a fixture of its own; close it. Most tests use the {@link Shared} one instead. */
  public static GrpcFixture start() {
    try {
      return new GrpcFixture();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client channel to the API. */
  public ManagedChannel channel() {
    return channel;
  }

  /** {@code stub} sending {@code token} as its bearer token. */
  public static <S extends AbstractStub<S>> S as(String token, S stub) {
    Metadata headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A session token of the first administrator. */
  public String adminToken() {
    return adminToken;
  }

  /** Signs in and returns the session token. */
  public String login(String username, String password) {
    return AuthServiceGrpc.newBlockingStub(channel)
        .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
        .getToken();
  }

  /** {@code prefix} with a suffix no other call in this JVM gets, usable as username or code. */
  public static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  /** A signed-in user of the API. */
  public record Account(String id, String username, String password, String token) {
    public <S extends AbstractStub<S>> S stub(S stub) {
      return as(token, stub);
    }
  }

  /** Creates an account of {@code role} through the API and signs it in. */
  public Account newAccount(Role role) {
    String username = unique(role.name().substring(5).toLowerCase());
    String password = "password-of-" + username;
    var user =
        as(adminToken, UserServiceGrpc.newBlockingStub(channel))
            .createUser(
                CreateUserRequest.newBuilder()
                    .setUsername(username)
                    .setDisplayName("Test " + username)
                    .setRole(role)
                    .setPassword(password)
                    .build())
            .getUser();
    return new Account(user.getId(), username, password, login(username, password));
  }

  public RatisCluster cluster() {
    return cluster;
  }

  /** The index (in {@link #cluster()}) of the peer serving the API. */
  public int apiPeer() {
    return apiPeer;
  }

  public LmsApplication app() {
    return app;
  }

  /** Where the API spools uploads. */
  public Path spoolDir() {
    return spoolDir;
  }

  /** The files in the spool directory now. */
  public List<Path> spoolFiles() {
    try (Stream<Path> listed = Files.list(spoolDir)) {
      return listed.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether any peer holds a blob of this hash. */
  public boolean anyPeerHolds(String sha256) {
    return files.stream().anyMatch(f -> f.has(sha256));
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (api != null) {
      api.close();
    }
    if (blobs != null) {
      blobs.close();
    }
    if (peerChannels != null) {
      peerChannels.close();
    }
    blobServers.forEach(NodeGrpcServer::stop);
    cluster.close();
    if (spoolDir != null) {
      try (Stream<Path> listed = Files.walk(spoolDir)) {
        for (Path p : listed.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        // a temporary directory left behind is not worth failing a test run for
      }
    }
  }

  /**
   * Hands every test class that asks for a {@link GrpcFixture} parameter the same fixture, started
   * on first use and closed when the whole test run ends (JUnit closes {@link AutoCloseable} values
   * of the root store).
   */
  public static final class Shared implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(GrpcFixture.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == GrpcFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(GrpcFixture.class, k -> GrpcFixture.start(), GrpcFixture.class);
    }
  }
}

package org.lms.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.lms.application.LmsApplication;
import org.lms.interfaces.grpc.LmsGrpcServices;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;

/**
 * The public gRPC API of one node of a real three-node cluster, in this JVM: an {@link LmsCluster}
 * (Ratis peers with their own MongoDB databases, blob stores replicating over real gRPC) and the
 * API of one follower served by an in-process gRPC server with {@code directExecutor()}. The first
 * administrator exists. Tests share one fixture through {@link Shared} and keep apart by giving
 * every name they create a {@link #unique} suffix.
 */
public final class GrpcFixture implements AutoCloseable {
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = LmsCluster.ADMIN_PASSWORD;

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final LmsCluster cluster;
  private final int apiPeer;
  private final Path spoolDir;
  private final LmsGrpcServices api;
  private final Server server;
  private final ManagedChannel channel;
  private final String adminToken;

  private GrpcFixture() throws IOException {
    cluster = LmsCluster.start();
    Path spool = null;
    LmsGrpcServices services = null;
    Server started = null;
    try {
      apiPeer = cluster.raft().anyFollower(WAIT);
      spool = Files.createTempDirectory("lms-grpc-spool-");
      services =
          new LmsGrpcServices(
              cluster.app(apiPeer),
              cluster.raft().gateway(apiPeer),
              cluster.raft().status(apiPeer),
              spool);
      String name = "lms-api-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
      var builder =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .maxInboundMessageSize(LmsGrpcServices.MAX_INBOUND_MESSAGE_BYTES);
      for (ServerServiceDefinition service : services.services()) {
        builder.addService(service);
      }
      started = builder.build().start();
      spoolDir = spool;
      api = services;
      server = started;
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      adminToken = login(ADMIN, ADMIN_PASSWORD);
    } catch (IOException | RuntimeException e) {
      if (started != null) {
        started.shutdownNow();
      }
      if (services != null) {
        services.close();
      }
      cluster.close();
      deleteRecursively(spool);
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
    return stub.withInterceptors(ClusterChannels.bearer(token)); // in-process: no default deadline
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

  /** The three nodes behind the API. */
  public LmsCluster cluster() {
    return cluster;
  }

  /** The index (in {@link #cluster()}) of the node serving the API. */
  public int apiPeer() {
    return apiPeer;
  }

  /** The use cases of the node serving the API. */
  public LmsApplication app() {
    return cluster.app(apiPeer);
  }

  /** The largest file an upload may carry. */
  public long maxUploadBytes() {
    return app().maxUploadBytes();
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

  /** Whether any node holds a blob of this hash. */
  public boolean anyPeerHolds(String sha256) {
    for (int i = 0; i < cluster.raft().size(); i++) {
      if (cluster.blobs(i).hasLocally(sha256)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    api.close();
    cluster.close();
    deleteRecursively(spoolDir);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> listed = Files.walk(dir)) {
      for (Path p : listed.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is not worth failing a test run for
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

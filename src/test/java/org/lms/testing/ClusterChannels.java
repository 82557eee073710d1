package org.lms.testing;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.lms.interfaces.grpc.BearerTokenInterceptor;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.LoginResponse;

/**
 * One plaintext gRPC channel to each node of a {@link ClusterProcesses} cluster, over its real
 * port, for the process-level API tests and the gRPC benchmark. Channels reconnect by themselves
 * after a node restarts.
 */
public final class ClusterChannels implements AutoCloseable {
  /** The deadline of every call made through {@link #as}, unless the caller sets its own. */
  public static final long DEADLINE_SECONDS = 30;

  private final List<ManagedChannel> channels = new ArrayList<>();

  public ClusterChannels(ClusterProcesses cluster) {
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      channels.add(
          ManagedChannelBuilder.forAddress(cluster.host(node), cluster.grpcPort(node))
              .usePlaintext()
              .maxInboundMessageSize(8 * 1024 * 1024)
              .build());
    }
  }

  /** The channel to node {@code node} (1-based). */
  public ManagedChannel node(int node) {
    return channels.get(node - 1);
  }

  /** Every channel, in node order. */
  public List<ManagedChannel> all() {
    return List.copyOf(channels);
  }

  /** Signs in through {@code node}. */
  public LoginResponse login(int node, String username, String password) {
    return AuthServiceGrpc.newBlockingStub(node(node))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build());
  }

  /** {@code stub} sending {@code token} as its bearer token, with the default deadline. */
  public static <S extends AbstractStub<S>> S as(String token, S stub) {
    return stub.withInterceptors(bearer(token))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Sends {@code token} as the bearer token of every call. */
  public static ClientInterceptor bearer(String token) {
    var headers = new Metadata();
    headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  @Override
  public void close() {
    shutdown(channels);
  }

  /** Shuts {@code channels} down at once, then waits up to 5 s for each to end. */
  public static void shutdown(List<? extends ManagedChannel> channels) {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

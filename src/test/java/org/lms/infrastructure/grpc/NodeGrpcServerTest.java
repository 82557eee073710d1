package org.lms.infrastructure.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.lms.infrastructure.blobs.BlobReplicationService;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.blobs.v1.BlobReplicationGrpc;
import org.lms.infrastructure.blobs.v1.HasRequest;

/**
 * The server host on a real loopback port: the cluster secret guards the internal service only, and
 * a server-wide interceptor sees every call.
 */
@Timeout(30)
class NodeGrpcServerTest {

  private static final String SECRET = "s3cret";

  /** A service without authentication of its own, standing in for the public API's place. */
  private static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("lms.test.Echo/Echo")
          .setRequestMarshaller(new Utf8())
          .setResponseMarshaller(new Utf8())
          .build();

  @TempDir Path dir;

  @Test
  void guardsTheInternalServiceOnlyAndFreesItsPortOnStop() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ServerInterceptor recorder =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            seen.add(call.getMethodDescriptor().getBareMethodName());
            return next.startCall(call, headers);
          }
        };
    BindableService blobs = new BlobReplicationService(new FileBlobStore(dir), 1000);
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("lms.test.Echo")
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, responses) -> {
                      responses.onNext("echo " + request);
                      responses.onCompleted();
                    }))
            .build();
    NodeGrpcServer server =
        NodeGrpcServer.builder("127.0.0.1", 0)
            .addService(blobs, new ClusterSecretInterceptor(SECRET))
            .addService(echo)
            .addInterceptor(recorder)
            .maxInboundMessageSize(1024 * 1024)
            .build()
            .start();
    int port = server.port();
    assertThat(port).isPositive();
    HasRequest has = HasRequest.newBuilder().setSha256("a".repeat(64)).build();

    ManagedChannel anonymous =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try (PeerChannels peers = new PeerChannels("n1", Map.of("n2", "127.0.0.1:" + port), SECRET)) {
      assertThatThrownBy(() -> BlobReplicationGrpc.newBlockingStub(anonymous).has(has))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      assertThat(ClientCalls.blockingUnaryCall(anonymous, ECHO, CallOptions.DEFAULT, "hi"))
          .isEqualTo("echo hi");
      assertThat(BlobReplicationGrpc.newBlockingStub(peers.channel("n2")).has(has).getPresent())
          .isFalse();
      assertThat(peers.peerIds()).containsExactly("n2");
    } finally {
      anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop();
    }

    assertThat(seen).containsExactly("Has", "Echo", "Has");
    try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(rebound.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void refusesAnEmptyClusterSecret() {
    assertThatThrownBy(() -> new ClusterSecretInterceptor(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PeerChannels("n1", Map.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

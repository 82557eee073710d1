package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.INTERNAL;
import static io.grpc.Status.Code.INVALID_ARGUMENT;
import static io.grpc.Status.Code.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.LogoutRequest;
import org.lms.interfaces.grpc.v1.LogoutResponse;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.interfaces.grpc.v1.WhoAmIResponse;

/**
 * A service that throws instead of answering: the guard turns what escapes into the mapped status,
 * never grpc-java's UNKNOWN. Malformed calls (no request message, two of them, bytes that are no
 * message) are INVALID_ARGUMENT, for our services and for the standard health service alike;
 * GrpcFuzzIT found them answered INTERNAL or UNKNOWN before.
 */
class RequestGuardTest {
  private Server server;
  private ManagedChannel channel;

  /** Throws from its handlers, as a buggy service would. */
  static final class ThrowingAuth extends AuthServiceGrpc.AuthServiceImplBase {
    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> responses) {
      throw new RejectedException(RejectionReason.UNKNOWN_USER, "userId", "no such user");
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> responses) {
      throw new IllegalStateException("a bug with a secret in its message");
    }
  }

  @BeforeEach
  void start() throws Exception {
    String name = "guard-" + System.nanoTime();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(RequestGuard.guard(new ThrowingAuth().bindService()))
            .addService(
                RequestGuard.guard(new HealthStatusManager().getHealthService().bindService()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aRejectionThrownByAServiceKeepsItsStatus() {
    var e =
        failsWith(
            NOT_FOUND,
            () ->
                AuthServiceGrpc.newBlockingStub(channel)
                    .whoAmI(WhoAmIRequest.getDefaultInstance()));
    assertThat(e.getStatus().getDescription()).isEqualTo("no such user");
  }

  @Test
  void aBugIsInternalWithAGenericMessage() {
    var e =
        failsWith(
            INTERNAL,
            () ->
                AuthServiceGrpc.newBlockingStub(channel)
                    .logout(LogoutRequest.getDefaultInstance()));
    assertThat(e.getStatus().getDescription()).doesNotContain("secret");
  }

  @Test
  void aUnaryCallWithoutARequestMessageIsInvalidArgument() {
    for (MethodDescriptor<?, ?> method :
        List.of(AuthServiceGrpc.getWhoAmIMethod(), HealthGrpc.getCheckMethod())) {
      Status status = rawCall(method, List.of());
      assertThat(status.getCode()).as(method.getFullMethodName()).isEqualTo(INVALID_ARGUMENT);
      assertThat(status.getDescription()).contains("needs a request message");
    }
  }

  @Test
  void aSecondRequestMessageOnAUnaryCallIsInvalidArgumentAndNeverReachesTheService() {
    // over a real transport the client mostly sees its stream reset (CANCELLED) before the
    // status, so the guard's own decision is checked here, on the call itself
    var call = new RecordingCall(AuthServiceGrpc.getWhoAmIMethod());
    var received = new ArrayList<String>();
    ServerCall.Listener<byte[]> listener =
        new RequestGuard()
            .interceptCall(
                call,
                new Metadata(),
                (c, headers) ->
                    new ServerCall.Listener<>() {
                      @Override
                      public void onMessage(byte[] message) {
                        received.add("message");
                      }

                      @Override
                      public void onHalfClose() {
                        received.add("half-close");
                      }
                    });

    listener.onMessage(new byte[0]);
    listener.onMessage(new byte[0]);
    listener.onHalfClose();

    assertThat(received).containsExactly("message");
    assertThat(call.closedWith.getCode()).isEqualTo(INVALID_ARGUMENT);
    assertThat(call.closedWith.getDescription()).contains("exactly one request message");
  }

  @Test
  void bytesThatAreNoMessageAreInvalidArgumentForTheStandardServicesToo() {
    // field 1 (the service name) holding invalid UTF-8
    byte[] invalidUtf8 = {0x0A, 0x02, (byte) 0xC3, 0x28};
    Status status = rawCall(HealthGrpc.getCheckMethod(), List.of(invalidUtf8));
    assertThat(status.getCode()).isEqualTo(INVALID_ARGUMENT);
  }

  /** Sends {@code messages} as they are, closes the client side, returns how the call ended. */
  private Status rawCall(MethodDescriptor<?, ?> method, List<byte[]> messages) {
    var raw =
        method.toBuilder(RequestGuard.RawBytes.INSTANCE, RequestGuard.RawBytes.INSTANCE).build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
    var closed = new CompletableFuture<Status>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(2);
    messages.forEach(call::sendMessage);
    call.halfClose();
    return closed.orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** A server call that only remembers how it was closed. */
  private static final class RecordingCall extends ServerCall<byte[], byte[]> {
    private final MethodDescriptor<byte[], byte[]> method;
    Status closedWith;

    RecordingCall(MethodDescriptor<?, ?> method) {
      this.method =
          method.toBuilder(RequestGuard.RawBytes.INSTANCE, RequestGuard.RawBytes.INSTANCE).build();
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(byte[] message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      closedWith = status;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public MethodDescriptor<byte[], byte[]> getMethodDescriptor() {
      return method;
    }
  }
}

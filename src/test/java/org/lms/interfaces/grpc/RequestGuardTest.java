package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.INTERNAL;
import static io.grpc.Status.Code.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
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
 * never grpc-java's UNKNOWN.
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
}

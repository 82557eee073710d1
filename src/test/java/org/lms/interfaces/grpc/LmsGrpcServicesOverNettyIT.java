package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lms.infrastructure.grpc.NodeGrpcServer;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.WhoAmIRequest;
import org.lms.testing.GrpcFixture;

/**
 * The API as a node serves it: {@link LmsGrpcServices} added to a {@link NodeGrpcServer} on a real
 * loopback port, called over Netty.
 */
@Timeout(60)
@ExtendWith(GrpcFixture.Shared.class)
class LmsGrpcServicesOverNettyIT {

  @Test
  void aNodeGrpcServerServesTheApi(GrpcFixture fixture, @TempDir Path dir) throws Exception {
    int peer = fixture.apiPeer();
    Path leftover =
        Files.createFile(dir.resolve(UploadSpool.PREFIX + "crashed" + UploadSpool.SUFFIX));
    try (var api =
        new LmsGrpcServices(
            fixture.app(),
            fixture.cluster().raft().gateway(peer),
            fixture.cluster().raft().status(peer),
            dir)) {
      assertThat(leftover).doesNotExist();
      var builder =
          NodeGrpcServer.builder("127.0.0.1", 0)
              .maxInboundMessageSize(LmsGrpcServices.MAX_INBOUND_MESSAGE_BYTES);
      api.services().forEach(builder::addService);
      NodeGrpcServer server = builder.build().start();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        var auth = AuthServiceGrpc.newBlockingStub(channel);
        String token =
            auth.login(
                    LoginRequest.newBuilder()
                        .setUsername(GrpcFixture.ADMIN)
                        .setPassword(GrpcFixture.ADMIN_PASSWORD)
                        .build())
                .getToken();

        assertThat(
                GrpcFixture.as(token, auth)
                    .whoAmI(WhoAmIRequest.getDefaultInstance())
                    .getUsername())
            .isEqualTo(GrpcFixture.ADMIN);
        failsWith(UNAUTHENTICATED, () -> auth.whoAmI(WhoAmIRequest.getDefaultInstance()));
        assertThat(
                HealthGrpc.newBlockingStub(channel)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop();
      }
    }
  }
}

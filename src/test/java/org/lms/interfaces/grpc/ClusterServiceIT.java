package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.ClusterServiceGrpc;
import org.lms.interfaces.grpc.v1.GetStatusRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.testing.GrpcFixture;

/** lms.v1.ClusterService against a real three-peer cluster. */
@Timeout(60)
@ExtendWith(GrpcFixture.Shared.class)
class ClusterServiceIT {
  private static GrpcFixture api;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
  }

  @Test
  void anyUserSeesTheAnsweringNodesPlaceInTheGroup() {
    var student = api.newAccount(Role.ROLE_STUDENT);
    String nodeId = api.cluster().raft().config(api.apiPeer()).nodeId();

    var status =
        student
            .stub(ClusterServiceGrpc.newBlockingStub(api.channel()))
            .getStatus(GetStatusRequest.getDefaultInstance());

    assertThat(status.getNodeId()).isEqualTo(nodeId);
    assertThat(status.getLeaderId()).isNotEmpty();
    var self = status.getNodes(0);
    assertThat(self.getNodeId()).isEqualTo(nodeId);
    assertThat(self.getRole()).isIn("LEADER", "FOLLOWER");
    assertThat(self.getTerm()).isPositive();
    assertThat(self.getAppliedIndex()).isPositive();
    assertThat(self.getCommitIndex()).isGreaterThanOrEqualTo(self.getAppliedIndex() - 1);
    assertThat(self.getReady()).isTrue();
  }

  @Test
  void statusNeedsASession() {
    failsWith(
        UNAUTHENTICATED,
        () ->
            ClusterServiceGrpc.newBlockingStub(api.channel())
                .getStatus(GetStatusRequest.getDefaultInstance()));
  }
}

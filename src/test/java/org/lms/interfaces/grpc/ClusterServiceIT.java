package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;

import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.ClusterServiceGrpc;
import org.lms.interfaces.grpc.v1.GetStatusRequest;
import org.lms.interfaces.grpc.v1.NodeStatus;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.testing.GrpcFixture;

/** lms.v1.ClusterService against a real three-peer cluster: every node's status. */
@Timeout(60)
@ExtendWith(GrpcFixture.Shared.class)
class ClusterServiceIT {
  private static GrpcFixture api;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
  }

  @Test
  void anyUserSeesEveryNodeOfTheGroupTheAnsweringNodeFirst() {
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
    assertThat(self.hasLastContact()).isEqualTo(!self.getRole().equals("LEADER"));

    // the peers, in id order, each as it describes itself (asked through Raft by the answering
    // node)
    var raft = api.cluster().raft();
    var peers =
        IntStream.range(0, raft.size())
            .mapToObj(i -> raft.config(i).nodeId())
            .filter(id -> !id.equals(nodeId))
            .sorted()
            .toList();
    assertThat(status.getNodesList())
        .extracting(NodeStatus::getNodeId)
        .containsExactly(nodeId, peers.get(0), peers.get(1));
    assertThat(status.getNodesList())
        .extracting(NodeStatus::getRole)
        .containsOnly("LEADER", "FOLLOWER")
        .containsOnlyOnce("LEADER");
    assertThat(status.getNodesList())
        .allSatisfy(
            node -> {
              assertThat(node.getTerm()).isEqualTo(self.getTerm());
              assertThat(node.getAppliedIndex()).isPositive();
              assertThat(node.getReady()).isTrue();
            });
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

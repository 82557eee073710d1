package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.ratis.proto.RaftProtos.CandidateInfoProto;
import org.apache.ratis.proto.RaftProtos.FollowerInfoProto;
import org.apache.ratis.proto.RaftProtos.LeaderInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.ClusterStatus.NodeStatus;

/** How a node reads its peers' answers to "describe yourself", and their silence, without Ratis. */
class RatisClusterStatusTest {

  private static final NodeStatus FOLLOWER =
      new NodeStatus(
          "n2",
          "FOLLOWER",
          7,
          120,
          118,
          Optional.of("n1"),
          true,
          Optional.of(Duration.ofMillis(140)));

  @Test
  void aStatusSurvivesTheWireWithAndWithoutItsOptionalParts() {
    assertThat(RatisClusterStatus.decode(RatisClusterStatus.encode(FOLLOWER).getContent()))
        .isEqualTo(FOLLOWER);

    var candidate = new NodeStatus("n3", "CANDIDATE", 8, 0, 0, Optional.empty(), false);
    assertThat(RatisClusterStatus.decode(RatisClusterStatus.encode(candidate).getContent()))
        .isEqualTo(candidate);
  }

  @Test
  void somethingElseIsNotTakenForAStatus() {
    assertThatThrownBy(() -> RatisClusterStatus.decode(ByteString.copyFromUtf8("applied-index")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RatisClusterStatus.decode(ByteString.EMPTY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPeersAnswerIsItsOwnAccountUnlessItIsSomeoneElses() {
    assertThat(RatisClusterStatus.answered("n2", reply(RatisClusterStatus.encode(FOLLOWER))))
        .isEqualTo(FOLLOWER);
    assertThat(RatisClusterStatus.answered("n3", reply(RatisClusterStatus.encode(FOLLOWER))))
        .isEqualTo(NodeStatus.unknown("n3"));
    assertThat(RatisClusterStatus.answered("n2", reply(Message.valueOf("garbage"))))
        .isEqualTo(NodeStatus.unknown("n2"));
  }

  @Test
  void aPeerWhoseRaftServerSaysItsMemberDoesNotRunIsDown() {
    for (IOException refusal :
        new IOException[] {
          new ServerNotReadyException("n2 is starting"),
          new GroupMismatchException("n2 has no such group"),
          new StateMachineException("the Raft division of n2 is not running")
        }) {
      assertThat(RatisClusterStatus.unanswered("n2", refusal).role())
          .as(refusal.toString())
          .isEqualTo(ClusterStatus.DOWN);
      assertThat(RatisClusterStatus.unanswered("n2", new CompletionException(refusal)).role())
          .isEqualTo(ClusterStatus.DOWN);
    }
  }

  @Test
  void aPeerThatCannotBeReachedOrIsTooSlowIsUnknown() {
    for (Throwable silence :
        new Throwable[] {
          new IOException("UNAVAILABLE: io exception: Connection refused"),
          new TimeoutIOException("Request timeout 1000ms"),
          new CompletionException(new TimeoutIOException("Request timeout 1000ms")),
          // a stream that closed on this side says nothing about the peer
          new AlreadyClosedException("client->n2 is closed."),
          new IllegalStateException("anything else")
        }) {
      NodeStatus status = RatisClusterStatus.unanswered("n2", silence);
      assertThat(status).as(silence.toString()).isEqualTo(NodeStatus.unknown("n2"));
      assertThat(status.isUnknown()).isTrue();
      assertThat(status.ready()).isFalse();
    }
  }

  @Test
  void lastContactIsTheFollowersOrTheCandidatesSilenceAndNothingForTheLeader() {
    var follower =
        RoleInfoProto.newBuilder()
            .setRole(RaftPeerRole.FOLLOWER)
            .setFollowerInfo(
                FollowerInfoProto.newBuilder()
                    .setLeaderInfo(ServerRpcProto.newBuilder().setLastRpcElapsedTimeMs(250)))
            .build();
    var candidate =
        RoleInfoProto.newBuilder()
            .setRole(RaftPeerRole.CANDIDATE)
            .setCandidateInfo(CandidateInfoProto.newBuilder().setLastLeaderElapsedTimeMs(4_000))
            .build();
    var leader =
        RoleInfoProto.newBuilder()
            .setRole(RaftPeerRole.LEADER)
            .setLeaderInfo(LeaderInfoProto.newBuilder().setTerm(3))
            .build();

    assertThat(RatisClusterStatus.lastContact(follower)).contains(Duration.ofMillis(250));
    assertThat(RatisClusterStatus.lastContact(candidate)).contains(Duration.ofSeconds(4));
    assertThat(RatisClusterStatus.lastContact(leader)).isEmpty();
  }

  private static RaftClientReply reply(Message message) {
    var group = RaftGroupId.valueOf(UUID.randomUUID());
    return RaftClientReply.newBuilder()
        .setClientId(ClientId.randomId())
        .setServerId(RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n2"), group))
        .setCallId(1)
        .setSuccess()
        .setMessage(message)
        .build();
  }
}

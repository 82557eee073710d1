package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
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
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
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
  void anAnswerCarriesTheGrpcAddressThePeersReachTheNodeAt() throws Exception {
    var report =
        org.lms.infrastructure.raft.status.v1.NodeStatusReport.parseFrom(
            RatisClusterStatus.encode(FOLLOWER, Optional.of("10.0.0.4:9094"))
                .getContent()
                .toByteArray());

    assertThat(report.getGrpcAddress()).isEqualTo("10.0.0.4:9094");
    assertThat(RatisClusterStatus.decode(RatisClusterStatus.encode(FOLLOWER).getContent()))
        .as("the status is the same with or without it")
        .isEqualTo(
            RatisClusterStatus.decode(
                RatisClusterStatus.encode(FOLLOWER, Optional.of("10.0.0.4:9094")).getContent()));
  }

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

  @Test
  void aRunningDivisionDescribesItself() {
    var status = RatisClusterStatus.describe("n2", division(info(Map.of()), 42)).orElseThrow();

    assertThat(status.role()).isEqualTo("FOLLOWER");
    assertThat(status.term()).isEqualTo(3);
    assertThat(status.commitIndex()).isEqualTo(42);
    assertThat(status.appliedIndex()).isEqualTo(40);
    assertThat(status.leaderId()).contains("n1");
    assertThat(status.ready()).isTrue();
  }

  /**
   * A division the watchdog restarts is registered before Ratis has created its state machine
   * updater; asking it for the applied index then throws. The CI run of 2026-11-28 met this window
   * through the status call.
   */
  @Test
  void aDivisionWhoseStateMachineUpdaterIsNotCreatedYetDescribesNothing() {
    DivisionInfo starting =
        info(
            Map.of(
                "getLastAppliedIndex",
                args -> {
                  throw new IllegalStateException(
                      "n3@group: stateMachineUpdater is uninitialized.");
                }));

    assertThat(RatisClusterStatus.describe("n2", division(starting, 42))).isEmpty();
  }

  @Test
  void aDivisionWithoutALogYetDescribesNothing() {
    assertThat(RatisClusterStatus.describe("n2", division(info(Map.of()), -1))).isEmpty();
  }

  /** A division answered by small proxies of Ratis's interfaces; {@code commit} -1: no log yet. */
  private static RaftServer.Division division(DivisionInfo info, long commit) {
    RaftLog log =
        proxy(
            RaftLog.class,
            Map.of(
                "getLastCommittedIndex",
                args -> {
                  if (commit < 0) {
                    throw new IllegalStateException("log is uninitialized");
                  }
                  return commit;
                }));
    return proxy(
        RaftServer.Division.class, Map.of("getInfo", args -> info, "getRaftLog", args -> log));
  }

  private static DivisionInfo info(Map<String, Function<Object[], Object>> overrides) {
    var answers =
        new HashMap<String, Function<Object[], Object>>(
            Map.of(
                "isAlive", args -> true,
                "getLastAppliedIndex", args -> 40L,
                "getLeaderId", args -> RaftPeerId.valueOf("n1"),
                "getCurrentRole", args -> RaftPeerRole.FOLLOWER,
                "getCurrentTerm", args -> 3L,
                "getRoleInfoProto", args -> RoleInfoProto.getDefaultInstance()));
    answers.putAll(overrides);
    return proxy(DivisionInfo.class, answers);
  }

  private static <T> T proxy(Class<T> type, Map<String, Function<Object[], Object>> answers) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              var answer = answers.get(method.getName());
              if (answer == null) {
                throw new UnsupportedOperationException(method.getName());
              }
              return answer.apply(args);
            }));
  }
}

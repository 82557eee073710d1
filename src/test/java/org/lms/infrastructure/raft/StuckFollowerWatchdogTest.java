package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.FollowerInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.junit.jupiter.api.Test;
import org.lms.infrastructure.raft.StuckFollowerWatchdog.Judge;
import org.lms.infrastructure.raft.StuckFollowerWatchdog.Observation;

class StuckFollowerWatchdogTest {

  private static final Duration SILENCE = Duration.ofSeconds(8);

  @Test
  void aFollowerWithACountedAppendAndNoLeaderForLongIsStuckOnTheSecondLook() {
    var judge = new Judge(SILENCE);
    assertThat(judge.stuck(follower(1, 8_000))).isFalse();
    assertThat(judge.stuck(follower(1, 10_000))).isTrue();
    // after a restart the count starts again
    assertThat(judge.stuck(follower(1, 12_000))).isFalse();
    assertThat(judge.stuck(follower(1, 14_000))).isTrue();
  }

  @Test
  void oneHealthyLookInBetweenStartsTheCountAgain() {
    // e.g. a node resumed from a pause: its append finishes, its leader's heartbeat arrives
    var judge = new Judge(SILENCE);
    assertThat(judge.stuck(follower(1, 9_000))).isFalse();
    assertThat(judge.stuck(follower(0, 11_000))).isFalse();
    assertThat(judge.stuck(follower(1, 13_000))).isFalse();
    assertThat(judge.stuck(follower(1, 15_000))).isTrue();
  }

  @Test
  void healthyRolesAreNeverStuck() {
    var judge = new Judge(SILENCE);
    for (int i = 0; i < 5; i++) {
      // no append counted: its election timer runs and it stands for election by itself
      assertThat(judge.stuck(follower(0, 60_000))).isFalse();
      // an append in progress while the leader is in contact
      assertThat(judge.stuck(follower(3, 200))).isFalse();
      assertThat(judge.stuck(follower(1, 7_999))).isFalse();
      assertThat(judge.stuck(new Observation(RaftPeerRole.CANDIDATE, 0, 0))).isFalse();
      assertThat(judge.stuck(new Observation(RaftPeerRole.LEADER, 0, 0))).isFalse();
    }
  }

  @Test
  void anObservationReadsRatisRoleInformation() {
    assertThat(Observation.of(followerInfo(2, 9_500)))
        .isEqualTo(new Observation(RaftPeerRole.FOLLOWER, 2, 9_500));
    assertThat(Observation.of(RoleInfoProto.newBuilder().setRole(RaftPeerRole.LEADER).build()))
        .isEqualTo(new Observation(RaftPeerRole.LEADER, 0, 0));
    // a follower without follower information (a peer being added) counts nothing
    assertThat(Observation.of(RoleInfoProto.newBuilder().setRole(RaftPeerRole.FOLLOWER).build()))
        .isEqualTo(new Observation(RaftPeerRole.FOLLOWER, 0, 0));
  }

  @Test
  void theWatchdogRestartsAStuckDivisionAndKeepsLookingAfterAFailedLook() throws Exception {
    var looks = new AtomicInteger();
    var restarts = new CopyOnWriteArrayList<String>();
    var restarted = new CountDownLatch(1);
    StuckFollowerWatchdog.Division division =
        new StuckFollowerWatchdog.Division() {
          @Override
          public RoleInfoProto roleInfo() {
            int look = looks.incrementAndGet();
            if (look == 1) {
              throw new IllegalStateException("the division is being replaced");
            }
            return look == 2 ? null : followerInfo(1, 30_000);
          }

          @Override
          public void restart(String reason) {
            restarts.add(reason);
            restarted.countDown();
          }
        };
    try (var watchdog = new StuckFollowerWatchdog("n1", division, Duration.ofMillis(10), SILENCE)) {
      assertThat(restarted.await(10, TimeUnit.SECONDS)).isTrue();
    }
    // a failed look and a missing division came first; two stuck looks then made one restart
    assertThat(looks.get()).isGreaterThanOrEqualTo(4);
    List<String> reasons = List.copyOf(restarts);
    assertThat(reasons).isNotEmpty();
    assertThat(reasons.get(0)).contains("1 append(s)").contains("30000 ms");
  }

  private static Observation follower(int outstanding, long sinceLeaderMillis) {
    return new Observation(RaftPeerRole.FOLLOWER, outstanding, sinceLeaderMillis);
  }

  private static RoleInfoProto followerInfo(int outstanding, long sinceLeaderMillis) {
    return RoleInfoProto.newBuilder()
        .setRole(RaftPeerRole.FOLLOWER)
        .setFollowerInfo(
            FollowerInfoProto.newBuilder()
                .setOutstandingOp(outstanding)
                .setLeaderInfo(
                    ServerRpcProto.newBuilder().setLastRpcElapsedTimeMs(sinceLeaderMillis)))
        .build();
  }
}

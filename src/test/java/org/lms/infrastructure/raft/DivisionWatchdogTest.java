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
import org.lms.infrastructure.raft.DivisionWatchdog.Judge;
import org.lms.infrastructure.raft.DivisionWatchdog.Observation;

class DivisionWatchdogTest {

  private static final Duration SILENCE = Duration.ofSeconds(8);
  private static final Duration COOLDOWN = Duration.ofMinutes(1);
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFollowerWithACountedAppendAndNoLeaderForLongIsStuckOnTheSecondLook() {
    var judge = new Judge(SILENCE, COOLDOWN);
    assertThat(judge.verdict(follower(1, 8_000), 0)).isNull();
    assertThat(judge.verdict(follower(1, 10_000), 2 * SECOND))
        .contains("1 append(s)")
        .contains("10000 ms");
  }

  @Test
  void aDeadDivisionIsRestartedOnTheSecondLook() {
    var judge = new Judge(SILENCE, COOLDOWN);
    assertThat(judge.verdict(Observation.dead(), 0)).isNull();
    assertThat(judge.verdict(Observation.dead(), 2 * SECOND)).contains("closed the division");
  }

  @Test
  void oneHealthyLookInBetweenStartsTheCountAgain() {
    // e.g. a node resumed from a pause: its append finishes, its leader's heartbeat arrives
    var judge = new Judge(SILENCE, COOLDOWN);
    assertThat(judge.verdict(follower(1, 9_000), 0)).isNull();
    assertThat(judge.verdict(follower(0, 11_000), 2 * SECOND)).isNull();
    assertThat(judge.verdict(follower(1, 13_000), 4 * SECOND)).isNull();
    assertThat(judge.verdict(follower(1, 15_000), 6 * SECOND)).isNotNull();
  }

  @Test
  void restartsAreACooldownApart() {
    var judge = new Judge(SILENCE, COOLDOWN);
    judge.verdict(Observation.dead(), 0);
    assertThat(judge.verdict(Observation.dead(), 2 * SECOND)).isNotNull();
    // it died again at once: not restarted before the cooldown has passed
    for (long t = 4; t < 60; t += 2) {
      assertThat(judge.verdict(Observation.dead(), t * SECOND)).as("at %d s", t).isNull();
    }
    assertThat(judge.verdict(Observation.dead(), 64 * SECOND)).isNotNull();
  }

  @Test
  void healthyDivisionsAreLeftAlone() {
    var judge = new Judge(SILENCE, COOLDOWN);
    for (int i = 0; i < 5; i++) {
      long now = i * 2 * SECOND;
      // no append counted: its election timer runs and it stands for election by itself
      assertThat(judge.verdict(follower(0, 60_000), now)).isNull();
      // an append in progress while the leader is in contact
      assertThat(judge.verdict(follower(3, 200), now)).isNull();
      assertThat(judge.verdict(follower(1, 7_999), now)).isNull();
      assertThat(judge.verdict(alive(RaftPeerRole.CANDIDATE), now)).isNull();
      assertThat(judge.verdict(alive(RaftPeerRole.LEADER), now)).isNull();
    }
  }

  @Test
  void anObservationReadsRatisRoleInformation() {
    assertThat(Observation.of(followerInfo(2, 9_500))).isEqualTo(follower(2, 9_500));
    assertThat(Observation.of(RoleInfoProto.newBuilder().setRole(RaftPeerRole.LEADER).build()))
        .isEqualTo(alive(RaftPeerRole.LEADER));
    // a follower without follower information (a peer being added) counts nothing
    assertThat(Observation.of(RoleInfoProto.newBuilder().setRole(RaftPeerRole.FOLLOWER).build()))
        .isEqualTo(follower(0, 0));
  }

  @Test
  void theWatchdogRestartsAFaultyDivisionAndKeepsLookingAfterAFailedLook() throws Exception {
    var looks = new AtomicInteger();
    var restarts = new CopyOnWriteArrayList<String>();
    var restarted = new CountDownLatch(1);
    DivisionWatchdog.Division division =
        new DivisionWatchdog.Division() {
          @Override
          public Observation observe() {
            int look = looks.incrementAndGet();
            if (look == 1) {
              throw new IllegalStateException("the division is being replaced");
            }
            return look == 2 ? null : Observation.of(followerInfo(1, 30_000));
          }

          @Override
          public void restart(String reason) {
            restarts.add(reason);
            restarted.countDown();
          }
        };
    try (var watchdog =
        new DivisionWatchdog("n1", division, Duration.ofMillis(10), SILENCE, COOLDOWN)) {
      assertThat(restarted.await(10, TimeUnit.SECONDS)).isTrue();
    }
    // a failed look and a missing division came first; two stuck looks then made one restart
    assertThat(looks.get()).isGreaterThanOrEqualTo(4);
    List<String> reasons = List.copyOf(restarts);
    assertThat(reasons).hasSize(1);
    assertThat(reasons.get(0)).contains("1 append(s)").contains("30000 ms");
  }

  private static Observation follower(int outstanding, long sinceLeaderMillis) {
    return new Observation(true, RaftPeerRole.FOLLOWER, outstanding, sinceLeaderMillis);
  }

  private static Observation alive(RaftPeerRole role) {
    return new Observation(true, role, 0, 0);
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

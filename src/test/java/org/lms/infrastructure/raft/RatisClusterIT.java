package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.application.port.CommandGateway;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.RejectionReason;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.RatisCluster;
import org.lms.testing.RatisCluster.Wipe;

/**
 * Three real Ratis peers in one JVM, each over its own MongoDB database: replication, a leader
 * killed under load, catching up from snapshots, the read barrier and rejected commands.
 */
@Timeout(90)
class RatisClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2025-09-01T08:00:00Z");
  private static final String ADMIN = "u-admin";

  /**
   * Ratis's test hook in a follower's append, after the entries went to the log and the append was
   * counted as outstanding ({@code RaftServerImpl.LOG_SYNC}).
   */
  private static final String APPEND_LOGGED = "RaftServerImpl.appendEntries.logComplete";

  @Test
  void commandsProposedThroughAFollowerAreAppliedOnEveryPeer() {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      int follower = cluster.anyFollower(WAIT);
      CommandGateway gateway = cluster.gateway(follower);

      assertThat(gateway.submit(bootstrap()).isAccepted()).isTrue();
      long last = 0;
      for (int i = 0; i < 20; i++) {
        last = gateway.submit(user("a" + i)).orThrow();
      }

      // submit returns once the proposing node itself has applied the command
      assertThat(cluster.store(follower).get(User.class, "u-a19")).isPresent();
      assertThat(gateway.appliedIndex()).isGreaterThanOrEqualTo(last);
      cluster.awaitAllApplied(last, WAIT);
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);
      for (int i = 0; i < cluster.size(); i++) {
        assertThat(cluster.store(i).count(User.class)).isEqualTo(21);
      }

      NodeStatus leaderStatus = cluster.status(leader).local();
      String leaderId = cluster.config(leader).nodeId();
      assertThat(leaderStatus.role()).isEqualTo("LEADER");
      assertThat(leaderStatus.commitIndex()).isGreaterThanOrEqualTo(last);
      assertThat(leaderStatus.appliedIndex()).isGreaterThanOrEqualTo(last);
      assertThat(leaderStatus.ready()).isTrue();
      for (NodeStatus s : cluster.statuses()) {
        assertThat(s.leaderId()).contains(leaderId);
        assertThat(s.term()).isEqualTo(leaderStatus.term());
        assertThat(s.role()).isIn("LEADER", "FOLLOWER");
      }
    }
  }

  @Test
  void aLeaderHandsLeadershipToAFollowerAndOnlyALeaderDoes() {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      int follower = cluster.anyFollower(WAIT);
      long term = cluster.status(leader).local().term();
      cluster.gateway(follower).submit(bootstrap()).orThrow();

      assertThat(cluster.node(follower).handOffLeadership(Duration.ofSeconds(5)))
          .isEqualTo("not the leader");
      String outcome = cluster.node(leader).handOffLeadership(Duration.ofSeconds(5));

      assertThat(outcome).startsWith("handed leadership to ");
      String newLeader = outcome.substring("handed leadership to ".length()).split(" ")[0];
      assertThat(newLeader).isNotEqualTo(cluster.config(leader).nodeId());
      int now = cluster.awaitLeader(WAIT);
      assertThat(cluster.config(now).nodeId()).isEqualTo(newLeader);
      assertThat(cluster.status(now).local().term()).isGreaterThan(term);
      // the group goes on taking writes, through the old leader too
      long index = cluster.gateway(leader).submit(user("after-hand-off")).orThrow();
      cluster.awaitAllApplied(index, WAIT);
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesTheLeadersDeath() throws Exception {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      List<Integer> survivors = new ArrayList<>(cluster.running());
      survivors.remove(Integer.valueOf(leader));
      cluster.gateway(survivors.get(0)).submit(bootstrap()).orThrow();

      Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
      Queue<CommandResult> unexpected = new ConcurrentLinkedQueue<>();
      Queue<String> unavailable = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      int writers = 4;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> running = new ArrayList<>();
      try {
        for (int t = 0; t < writers; t++) {
          CommandGateway gateway = cluster.gateway(survivors.get(t % survivors.size()));
          String prefix = "b" + t + "-";
          running.add(
              pool.submit(
                  () -> {
                    for (int i = 0; !stop.get(); i++) {
                      String tag = prefix + i;
                      try {
                        CommandResult result = gateway.submit(user(tag));
                        if (result.isAccepted()
                            // a retry of a write that the old leader had already committed
                            || result.rejection().get().reason() == RejectionReason.DUPLICATE_ID) {
                          acknowledged.add("u-" + tag);
                        } else {
                          unexpected.add(result);
                        }
                      } catch (ClusterUnavailableException e) {
                        unavailable.add(e.getMessage());
                      }
                    }
                  }));
        }
        awaitCount(acknowledged, 40, WAIT);
        cluster.kill(leader);
        int atKill = acknowledged.size();
        awaitCount(acknowledged, atKill + 40, WAIT);
      } finally {
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(40, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<?> f : running) {
        f.get();
      }
      assertThat(unexpected).isEmpty();

      // a last write orders after every acknowledged one
      long last = cluster.gateway(survivors.get(0)).submit(user("b-last")).orThrow();
      cluster.awaitAllApplied(last, WAIT);
      for (int s : survivors) {
        assertAllPresent(cluster, s, acknowledged);
      }
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);

      cluster.restart(leader, Wipe.NOTHING);
      cluster.awaitAllApplied(last, WAIT);
      assertAllPresent(cluster, leader, acknowledged);
      assertThat(cluster.digests()).hasSize(3);
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);
      System.out.printf(
          "leader kill: %d writes acknowledged, %d reported unavailable %s%n",
          acknowledged.size(), unavailable.size(), unavailable);
    }
  }

  @Test
  void peersThatLostTheirDataCatchUpFromSnapshots() throws Exception {
    try (var cluster = RatisCluster.start(RatisCluster.SMALL_SNAPSHOT_THRESHOLD)) {
      int leader = cluster.awaitLeader(WAIT);
      CommandGateway gateway = cluster.gateway(leader);
      gateway.submit(bootstrap()).orThrow();
      long last = writeUsers(gateway, "c1-", 30);
      cluster.awaitAllApplied(last, WAIT);

      // a follower misses many writes; the others snapshot and purge their logs meanwhile
      int lostDatabase = cluster.anyFollower(WAIT);
      long appliedAtKill = cluster.gateway(lostDatabase).appliedIndex();
      cluster.kill(lostDatabase);
      last = writeUsers(gateway, "c2-", 80);
      assertThat(cluster.node(leader).logStartIndex()).isGreaterThan(appliedAtKill + 1);

      // it comes back with an empty database but its Raft directory (log, own snapshot) kept
      cluster.restart(lostDatabase, Wipe.DATABASE);
      last = gateway.submit(user("c2-last")).orThrow();
      cluster.awaitAllApplied(last, WAIT);
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);

      // another follower comes back with nothing at all
      int leaderNow = cluster.awaitLeader(WAIT);
      int lostEverything =
          cluster.running().stream()
              .filter(i -> i != leaderNow && i != lostDatabase)
              .findFirst()
              .orElse(lostDatabase);
      appliedAtKill = cluster.gateway(lostEverything).appliedIndex();
      cluster.kill(lostEverything);
      gateway = cluster.gateway(leaderNow);
      last = writeUsers(gateway, "c3-", 60);
      assertThat(cluster.node(leaderNow).logStartIndex()).isGreaterThan(appliedAtKill + 1);
      cluster.restart(lostEverything, Wipe.EVERYTHING);
      last = gateway.submit(user("c3-last")).orThrow();
      cluster.awaitAllApplied(last, WAIT);

      assertThat(cluster.digests()).hasSize(3);
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);
      assertThat(cluster.store(lostEverything).count(User.class)).isEqualTo(1 + 30 + 81 + 61);
    }
  }

  /**
   * A Ratis 3.3.0 bug behind {@link DivisionWatchdog}: a follower's append fails after it was
   * counted as outstanding, so the follower never stands for election. Here the failure is injected
   * at the point where the real one (a snapshot installed under an append) throws. The follower
   * with the longest log is then the only one that can win once the leader dies; without the
   * watchdog there is no leader until the dead node returns, with it the stuck follower's division
   * is restarted and it is elected.
   */
  @Test
  void aFollowerWhoseElectionTimerIsStuckStillTakesOverFromADeadLeader() throws Exception {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      int stuck = cluster.anyFollower(WAIT);
      int behind = 3 - leader - stuck;
      CommandGateway gateway = cluster.gateway(leader);
      gateway.submit(bootstrap()).orThrow();
      cluster.awaitAllApplied(gateway.appliedIndex(), WAIT);

      cluster.kill(behind);
      String stuckId = cluster.config(stuck).nodeId();
      AtomicBoolean injected = new AtomicBoolean();
      CodeInjectionForTesting.put(
          APPEND_LOGGED,
          (local, remote, args) -> {
            if (String.valueOf(local).equals(stuckId) && injected.compareAndSet(false, true)) {
              throw new IllegalStateException("injected: an append fails after it was counted");
            }
            return false;
          });
      long last;
      try {
        last = writeUsers(gateway, "s-", 10);
      } finally {
        CodeInjectionForTesting.remove(APPEND_LOGGED);
      }
      assertThat(injected).isTrue();
      assertThat(
              cluster
                  .node(stuck)
                  .division()
                  .getInfo()
                  .getRoleInfoProto()
                  .getFollowerInfo()
                  .getOutstandingOp())
          .as("the leaked append count")
          .isPositive();
      cluster.awaitAllApplied(last, WAIT);

      // the leader dies; the follower that missed the writes comes back and cannot win
      cluster.kill(leader);
      cluster.restart(behind, Wipe.NOTHING);
      assertThat(cluster.awaitLeader(Duration.ofSeconds(45))).isEqualTo(stuck);
      assertThat(cluster.node(stuck).divisionRestarts()).isEqualTo(1);

      last = cluster.gateway(behind).submit(user("after")).orThrow();
      cluster.restart(leader, Wipe.NOTHING);
      cluster.awaitAllApplied(last, WAIT);
      assertThat(new HashSet<>(cluster.digests())).hasSize(1);
      assertThat(cluster.store(behind).count(User.class)).isEqualTo(1 + 10 + 1);
    }
  }

  /**
   * Ratis closes a division when its log worker or state machine updater fails (the chaos suite saw
   * a snapshot installation clear the log worker's queue under accepted appends); the node then
   * serves but is out of the group. Closing the division here takes the same path. The watchdog
   * restarts it, and it catches up; the same for the leader's, whose followers elect another leader
   * meanwhile.
   */
  @Test
  void aRaftDivisionThatRatisClosedIsRestartedAndCatchesUp() throws Exception {
    try (var cluster = RatisCluster.start(RatisCluster.SMALL_SNAPSHOT_THRESHOLD)) {
      int leader = cluster.awaitLeader(WAIT);
      CommandGateway gateway = cluster.gateway(leader);
      gateway.submit(bootstrap()).orThrow();

      int follower = cluster.anyFollower(WAIT);
      cluster.node(follower).division().close();
      assertThat(cluster.status(follower).local().role()).isEqualTo("DOWN");
      long last = writeUsers(gateway, "d1-", 30);
      awaitRestarts(cluster, follower, 1);
      cluster.awaitAllApplied(last, WAIT);

      cluster.node(leader).division().close();
      int newLeader = cluster.awaitLeader(WAIT);
      assertThat(newLeader).isNotEqualTo(leader);
      last = writeUsers(cluster.gateway(newLeader), "d2-", 30);
      awaitRestarts(cluster, leader, 1);
      cluster.awaitAllApplied(last, WAIT);

      assertThat(new HashSet<>(cluster.digests())).hasSize(1);
      for (int i = 0; i < cluster.size(); i++) {
        assertThat(cluster.store(i).count(User.class)).isEqualTo(1 + 30 + 30);
      }
    }
  }

  @Test
  void theReadBarrierOnAFollowerSeesAWriteAcknowledgedElsewhere() throws Exception {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      int follower = cluster.anyFollower(WAIT);
      CommandGateway viaLeader = cluster.gateway(leader);
      long first = viaLeader.submit(bootstrap()).orThrow();
      cluster.awaitAllApplied(first, WAIT);

      // hold the follower's apply thread on one command, so it lags behind the commit index
      CountDownLatch release = new CountDownLatch(1);
      cluster
          .stateMachine(follower)
          .addAppliedListener(
              (command, result) -> {
                if (command instanceof RegisterUser u && u.userId().equals("u-d-held")) {
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      try {
        viaLeader.submit(user("d-held")).orThrow();
        long written = viaLeader.submit(user("d-written")).orThrow();
        assertThat(cluster.store(follower).get(User.class, "u-d-written")).isEmpty();

        CommandGateway onFollower = cluster.gateway(follower);
        CompletableFuture<Void> barrier =
            CompletableFuture.runAsync(() -> onFollower.linearizableBarrier(WAIT));
        Thread.sleep(500);
        assertThat(barrier).isNotDone();

        release.countDown();
        barrier.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(onFollower.appliedIndex()).isGreaterThanOrEqualTo(written);
        assertThat(cluster.store(follower).get(User.class, "u-d-written")).isPresent();
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void aRejectedCommandReturnsItsRejectionAndChangesNoState() {
    try (var cluster = RatisCluster.start(1000)) {
      int follower = cluster.anyFollower(WAIT);
      CommandGateway gateway = cluster.gateway(follower);
      gateway.submit(bootstrap()).orThrow();
      long accepted = gateway.submit(user("e1")).orThrow();
      cluster.awaitAllApplied(accepted, WAIT);
      List<String> before = cluster.digests();

      var sameUsername =
          new RegisterUser(
              "u-e2", "user-e1", "Someone Else", Role.STUDENT, "hash-e2", ADMIN, T0.plusSeconds(9));
      CommandResult result = gateway.submit(sameUsername);

      assertThat(result.rejection()).isPresent();
      assertThat(result.rejection().get().reason()).isEqualTo(RejectionReason.DUPLICATE_USERNAME);
      assertThat(result.index()).isGreaterThan(accepted);
      cluster.awaitAllApplied(result.index(), WAIT);
      assertThat(cluster.digests()).isEqualTo(before);
      for (int i = 0; i < cluster.size(); i++) {
        assertThat(cluster.store(i).get(User.class, "u-e2")).isEmpty();
        assertThat(cluster.store(i).appliedIndex()).isGreaterThanOrEqualTo(result.index());
      }
    }
  }

  @Test
  void withoutAQuorumTheGatewayReportsTheClusterUnavailable() {
    var settings = RatisSettings.defaults().withClientRetryBudget(Duration.ofSeconds(3));
    try (var cluster = RatisCluster.start(1000, settings)) {
      int leader = cluster.awaitLeader(WAIT);
      cluster.gateway(leader).submit(bootstrap()).orThrow();
      for (int i : new ArrayList<>(cluster.running())) {
        if (i != leader) {
          cluster.kill(i);
        }
      }
      CommandGateway alone = cluster.gateway(leader);

      long started = System.nanoTime();
      assertThatThrownBy(() -> alone.submit(user("f1")))
          .isInstanceOf(ClusterUnavailableException.class)
          .hasMessageContaining("cluster unavailable while proposing RegisterUser");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThatThrownBy(() -> alone.linearizableBarrier(Duration.ofSeconds(2)))
          .isInstanceOf(ClusterUnavailableException.class);
      assertThatThrownBy(() -> alone.awaitApplied(alone.appliedIndex() + 1, Duration.ofMillis(200)))
          .isInstanceOf(ClusterUnavailableException.class)
          .hasMessageContaining("did not reach index");
    }
  }

  @Test
  void aFollowerListsEveryNodeAsItDescribesItselfAndOneThatDoesNotAnswerAsUnknown()
      throws Exception {
    try (var cluster = RatisCluster.start(1000)) {
      int leader = cluster.awaitLeader(WAIT);
      int follower = cluster.anyFollower(WAIT);
      int other = 3 - leader - follower;
      CommandGateway gateway = cluster.gateway(follower);
      gateway.submit(bootstrap()).orThrow();
      long last = writeUsers(gateway, "g", 5);
      cluster.awaitAllApplied(last, WAIT);
      String leaderId = cluster.config(leader).nodeId();
      Duration bound = RatisSettings.defaults().peerStatusTimeout();

      List<NodeStatus> group = cluster.status(follower).group();
      // this node first, then its peers in id order
      List<String> peerIds =
          List.of(cluster.config(leader).nodeId(), cluster.config(other).nodeId()).stream()
              .sorted()
              .toList();
      assertThat(group)
          .extracting(NodeStatus::nodeId)
          .containsExactly(cluster.config(follower).nodeId(), peerIds.get(0), peerIds.get(1));
      for (NodeStatus s : group) {
        int peer = ClusterProcesses.nodeNumber(s.nodeId()) - 1;
        NodeStatus own = cluster.status(peer).local();
        assertThat(s.role()).as(s.nodeId()).isEqualTo(own.role());
        assertThat(s.role()).as(s.nodeId()).isEqualTo(peer == leader ? "LEADER" : "FOLLOWER");
        assertThat(s.term()).as(s.nodeId()).isEqualTo(own.term()).isPositive();
        assertThat(s.leaderId()).as(s.nodeId()).contains(leaderId);
        assertThat(s.commitIndex()).as(s.nodeId()).isGreaterThanOrEqualTo(last);
        assertThat(s.appliedIndex()).as(s.nodeId()).isGreaterThanOrEqualTo(last);
        assertThat(s.ready()).as(s.nodeId()).isTrue();
        // a follower heard from its leader within a heartbeat or so; the leader has no leader
        if (peer == leader) {
          assertThat(s.lastContact()).as(s.nodeId()).isEmpty();
        } else {
          assertThat(s.lastContact()).as(s.nodeId()).isPresent();
          assertThat(s.lastContact().get()).as(s.nodeId()).isLessThan(Duration.ofSeconds(5));
        }
      }

      // a stopped peer: its port refuses, the others still answer
      String otherId = cluster.config(other).nodeId();
      cluster.kill(other);
      long started = System.nanoTime();
      group = cluster.status(follower).group();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound.plusSeconds(3));
      assertThat(byId(group, otherId)).isEqualTo(NodeStatus.unknown(otherId));
      assertThat(byId(group, leaderId).role()).isEqualTo("LEADER");
      assertThat(group.get(0).ready()).isTrue();

      // a peer that takes the connection but never answers (a hung JVM): given up at the bound
      int port = NodeConfig.portOf(cluster.config(other).raftPeers().get(otherId));
      try (var silent = new ServerSocket()) {
        silent.setReuseAddress(true);
        silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        started = System.nanoTime();
        group = cluster.status(follower).group();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound.plusSeconds(3));
        assertThat(byId(group, otherId)).isEqualTo(NodeStatus.unknown(otherId));
        assertThat(byId(group, leaderId).role()).isEqualTo("LEADER");
      }

      // back again: asked afresh, it answers as a follower of the same leader
      cluster.restart(other, Wipe.NOTHING);
      ClusterProcesses.await(
          WAIT,
          otherId + " listed as a ready follower again",
          () -> {
            NodeStatus back = byId(cluster.status(follower).group(), otherId);
            return back.role().equals("FOLLOWER")
                && back.leaderId().equals(Optional.of(leaderId))
                && back.ready();
          });
    }
  }

  // --- helpers

  private static NodeStatus byId(List<NodeStatus> group, String nodeId) {
    return group.stream().filter(s -> s.nodeId().equals(nodeId)).findFirst().orElseThrow();
  }

  private static BootstrapAdmin bootstrap() {
    return new BootstrapAdmin(ADMIN, "admin", "hash-admin", T0);
  }

  private static RegisterUser user(String tag) {
    return new RegisterUser(
        "u-" + tag, "user-" + tag, "User " + tag, Role.STUDENT, "hash-" + tag, ADMIN, T0);
  }

  private static long writeUsers(CommandGateway gateway, String prefix, int count) {
    long last = 0;
    for (int i = 0; i < count; i++) {
      last = gateway.submit(user(prefix + i)).orThrow();
    }
    return last;
  }

  private static void awaitRestarts(RatisCluster cluster, int peer, long count) {
    ClusterProcesses.await(
        WAIT,
        "peer " + peer + "'s division restarted",
        () -> cluster.node(peer).divisionRestarts() >= count);
    assertThat(cluster.node(peer).divisionRestarts()).isEqualTo(count);
  }

  private static void assertAllPresent(RatisCluster cluster, int peer, Queue<String> ids) {
    for (String id : ids) {
      assertThat(cluster.store(peer).get(User.class, id))
          .as("acknowledged %s on peer %d", id, peer)
          .isPresent();
    }
  }

  private static void awaitCount(Queue<String> queue, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queue.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + queue.size() + " of " + count + " writes in " + timeout);
      }
      Thread.sleep(20);
    }
  }
}

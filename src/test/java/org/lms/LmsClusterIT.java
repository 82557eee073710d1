package org.lms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;

/**
 * Three real Payara Micro nodes deploying {@code target/lms.war}, started by {@code ./lms start}:
 * they elect one leader, survive a {@code kill -9} of it, take the killed node back with the same
 * state, and {@code ./lms stop} leaves no process behind. One cluster for the whole class.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LmsClusterIT {

  private static ClusterProcesses cluster;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void startCluster() {
    cluster = ClusterProcesses.start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void allNodesFollowOneLeaderInOneTerm() {
    List<NodeStatus> statuses = statuses();

    assertThat(statuses).extracting(NodeStatus::nodeId).containsExactly("n1", "n2", "n3");
    assertThat(statuses).allMatch(NodeStatus::ready, "ready");
    assertThat(statuses).extracting(NodeStatus::leaderId).containsOnly(statuses.get(0).leaderId());
    assertThat(statuses).extracting(NodeStatus::term).containsOnly(statuses.get(0).term());
    assertThat(statuses).filteredOn(NodeStatus::isLeader).hasSize(1);
    assertThat(cluster.httpStatus(1, "/health/ready")).isEqualTo(200);
    assertThat(cluster.httpStatus(2, "/health/live")).isEqualTo(200);
    assertThat(cluster.httpStatus(3, "/")).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aKilledLeaderIsReplacedAndRejoinsWithTheSameState() {
    int oldLeader = cluster.leader();
    long oldTerm = cluster.status(oldLeader).term();
    int[] survivors = IntStream.rangeClosed(1, 3).filter(n -> n != oldLeader).toArray();

    long killed = System.nanoTime();
    cluster.kill9Node(oldLeader);
    ClusterProcesses.await(
        Duration.ofSeconds(30),
        "a new leader among the survivors",
        () -> newLeaderAgreed(survivors, ClusterProcesses.nodeId(oldLeader)));
    long failoverMillis = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf(
        "failover: %s killed, %s leads after %d ms%n",
        ClusterProcesses.nodeId(oldLeader),
        cluster.status(survivors[0]).leaderId(),
        failoverMillis);
    assertThat(cluster.status(survivors[0]).term()).isGreaterThan(oldTerm);

    long restarted = System.nanoTime();
    cluster.startNode(oldLeader);
    cluster.awaitReady(Duration.ofSeconds(60));
    ClusterProcesses.await(
        Duration.ofSeconds(60), "the same applied index and digest on every node", this::converged);
    System.out.printf(
        "restart: %s serving and caught up after %.1f s%n",
        ClusterProcesses.nodeId(oldLeader), (System.nanoTime() - restarted) / 1e9);

    List<NodeStatus> statuses = statuses();
    assertThat(statuses)
        .extracting(NodeStatus::appliedIndex)
        .containsOnly(statuses.get(0).appliedIndex());
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(cluster::digest))
        .containsOnly(cluster.digest(1));
  }

  @Test
  @Order(3)
  void stopLeavesNoProcess() {
    assertThat(cluster.liveProcesses()).hasSize(3);

    cluster.stopAll();

    assertThat(cluster.liveProcesses()).isEmpty();
    assertThat(IntStream.rangeClosed(1, 3).mapToObj(cluster::pid)).allMatch(pid -> pid.isEmpty());
  }

  private static List<NodeStatus> statuses() {
    return IntStream.rangeClosed(1, 3).mapToObj(cluster::status).toList();
  }

  private static boolean newLeaderAgreed(int[] survivors, String oldLeader) {
    var statuses = IntStream.of(survivors).mapToObj(cluster::tryStatus).toList();
    if (statuses.stream().anyMatch(s -> s.isEmpty())) {
      return false;
    }
    String leader = statuses.get(0).get().leaderId();
    return leader != null
        && !leader.equals(oldLeader)
        && statuses.stream().allMatch(s -> leader.equals(s.get().leaderId()));
  }

  private boolean converged() {
    List<NodeStatus> statuses = statuses();
    long applied = statuses.get(0).appliedIndex();
    if (!statuses.stream().allMatch(s -> s.appliedIndex() == applied)) {
      return false;
    }
    String digest = cluster.digest(1);
    return digest.equals(cluster.digest(2)) && digest.equals(cluster.digest(3));
  }
}

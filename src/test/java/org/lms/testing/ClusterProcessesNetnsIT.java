package org.lms.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.ClusterProcesses.Options;

/**
 * Three real Payara Micro nodes, each in its own namespace of a {@link NodeNetwork}, started
 * through {@code ./lms start} with {@code LMS_<N>_HOST}/{@code LMS_<N>_NETNS}: the leader, once
 * isolated, is replaced by a leader the other two agree on, which takes writes; a paused node
 * answers nothing until resumed; after healing all three converge on one state, and again after two
 * nodes were killed and started together. Needs root.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ClusterProcessesNetnsIT {

  @Test
  void theMajorityElectsANewLeaderWhenTheLeaderIsIsolatedAndAllConvergeAfterHealing()
      throws IOException {
    try (var network = NodeNetwork.create(ClusterProcesses.SIZE);
        var cluster =
            ClusterProcesses.start(
                Options.defaults().network(network).env("LMS_SNAPSHOT_THRESHOLD", "5000"));
        var grpc = new ClusterChannels(cluster)) {
      for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
        long pid = cluster.pid(node).orElseThrow();
        assertThat(netNamespace(pid))
            .as("n" + node + "'s JVM runs in its namespace")
            .isEqualTo(inode(Path.of("/run/netns", network.namespace(node))));
        assertThat(environment(pid).lines()).contains("LMS_SNAPSHOT_THRESHOLD=5000");
        assertThat(cluster.status(node).nodeId()).isEqualTo(ClusterProcesses.nodeId(node));
      }
      String password = cluster.adminPassword();
      int leader = cluster.leader();
      grpc.login(leader, "admin", password);
      int[] majority = IntStream.rangeClosed(1, 3).filter(n -> n != leader).toArray();

      long cutAt = System.nanoTime();
      network.isolate(leader);
      String[] newLeader = new String[1];
      ClusterProcesses.await(
          Duration.ofSeconds(90),
          "a new leader among the two nodes the isolated n" + leader + " left",
          () -> {
            Optional<String> elected = cluster.readyLeaderAmong(majority);
            elected.ifPresent(id -> newLeader[0] = id);
            return elected.filter(id -> !id.equals(ClusterProcesses.nodeId(leader))).isPresent();
          });
      System.out.printf(
          "n%d isolated: %s leads n%d and n%d after %.1f s%n",
          leader, newLeader[0], majority[0], majority[1], (System.nanoTime() - cutAt) / 1e9);
      int elected = Integer.parseInt(newLeader[0].substring(1));
      grpc.login(elected, "admin", password); // a write the isolated node misses
      assertThat(cluster.tryStatus(leader)).as("the root namespace still reaches it").isPresent();

      cluster.pause(leader);
      assertThat(cluster.tryStatus(leader)).as("a paused node answers nothing").isEmpty();
      cluster.resume(leader);
      assertThat(cluster.tryStatus(leader)).as("resumed").isPresent();

      long healedAt = System.nanoTime();
      network.healAll();
      cluster.awaitReady(Duration.ofSeconds(120));
      String digest = cluster.awaitConverged(Duration.ofSeconds(120));
      System.out.printf(
          "healed: converged on %s after %.1f s%n", digest, (System.nanoTime() - healedAt) / 1e9);

      // both nodes of the former majority die and come back at once, in their namespaces
      for (int node : majority) {
        cluster.kill9Node(node);
      }
      long restartedAt = System.nanoTime();
      cluster.startNodes(majority);
      cluster.awaitReady(Duration.ofSeconds(120));
      assertThat(cluster.awaitConverged(Duration.ofSeconds(120))).isEqualTo(digest);
      System.out.printf(
          "n%d and n%d restarted together, converged after %.1f s%n",
          majority[0], majority[1], (System.nanoTime() - restartedAt) / 1e9);
      for (int node : majority) {
        assertThat(netNamespace(cluster.pid(node).orElseThrow()))
            .isEqualTo(inode(Path.of("/run/netns", network.namespace(node))));
      }
    }
  }

  /** The inode of the network namespace process {@code pid} runs in. */
  private static long netNamespace(long pid) throws IOException {
    return inode(Path.of("/proc", String.valueOf(pid), "ns", "net"));
  }

  private static long inode(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
  }

  private static String environment(long pid) throws IOException {
    byte[] environ = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ"));
    return new String(environ, StandardCharsets.UTF_8).replace('\0', '\n');
  }
}

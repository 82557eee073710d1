package org.lms.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.NodeNetwork;
import org.lms.testing.chaos.ChaosProfile;
import org.lms.testing.chaos.ChaosResult;
import org.lms.testing.chaos.ChaosRunner;
import org.lms.testing.chaos.FaultKind;

/**
 * The fault-injection suite (docs/chaos.md): three real Payara Micro nodes started by {@code ./lms
 * start}, each in a network namespace of its own, crashed, paused and partitioned while ten gRPC
 * clients read and write registers; the history must be linearizable with nothing lost, the nodes
 * must end with one state digest, and every fault must be a valid test of itself.
 *
 * <p>By default it runs the bounded profile (every fault once, about five minutes); it is left out
 * of {@code ./lms test} (a failsafe exclude) until the Ratis election wedge it found is fixed
 * (docs/chaos.md, "Open"), so {@code ./lms chaos} runs it. {@code ./lms chaos --minutes N --seed S}
 * sets {@code chaos.minutes} and {@code chaos.seed} for a soak run. The second test proves the
 * suite has teeth: with reads served from the contacted node's local copy (no read barrier) while
 * the leader is isolated, the same runner must fail the history. Reports land in {@code
 * target/chaos/<run>/}.
 */
@TestMethodOrder(OrderAnnotation.class)
class ChaosIT {
  /**
   * A snapshot and closed segments every few hundred writes, so a lagging follower needs one; C1
   * only, which halves a node's restart on two busy cores (the suite tests correctness, not speed).
   */
  private static final Map<String, String> NODE_SETTINGS =
      Map.of(
          "LMS_SNAPSHOT_THRESHOLD", "250",
          "LMS_LOG_SEGMENT_BYTES", "8192",
          "LMS_JAVA_OPTS", "-XX:TieredStopAtLevel=1");

  private static final long DEFAULT_SEED = 20261127L;

  private static NodeNetwork network;
  private static ClusterProcesses cluster;

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void startClusterInNamespaces() throws IOException {
    network = NodeNetwork.create(ClusterProcesses.SIZE);
    var options = ClusterProcesses.Options.defaults().network(network);
    for (var setting : NODE_SETTINGS.entrySet()) {
      options = options.env(setting.getKey(), setting.getValue());
    }
    cluster = ClusterProcesses.start(options);
    String[] settings =
        NODE_SETTINGS.entrySet().stream()
            .map(s -> s.getKey() + "=" + s.getValue())
            .toArray(String[]::new);
    // the suite means nothing unless the nodes really live where the faults are injected
    for (int node = 1; node <= ClusterProcesses.SIZE; node++) {
      long pid = cluster.pid(node).orElseThrow();
      assertThat(netNamespace(pid))
          .as("n" + node + "'s JVM runs in its namespace")
          .isEqualTo(inode(Path.of("/run/netns", network.namespace(node))));
      assertThat(environment(pid).lines())
          .as("n" + node + " has the suite's settings")
          .contains(settings);
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

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void everyFaultLeavesALinearizableHistoryAndOneState() {
    long seed = Long.getLong("chaos.seed", DEFAULT_SEED);
    long minutes = Long.getLong("chaos.minutes", 0);
    ChaosProfile profile =
        minutes > 0
            ? ChaosProfile.soak(Duration.ofMinutes(minutes), seed)
            : ChaosProfile.bounded(seed);
    // the bounded profile takes about five minutes here; a soak run its length plus the recovery
    Duration limit = Duration.ofMinutes(minutes > 0 ? minutes + 15 : 12);

    ChaosResult result = assertTimeoutPreemptively(limit, () -> run(profile));

    System.out.println(result.summary());
    assertThat(result.passed()).as(result.summary()).isTrue();
    if (!profile.isSoak()) {
      assertThat(result.faults())
          .extracting(f -> f.episode().kind())
          .as("the report shows every fault")
          .containsExactly(FaultKind.values());
    }
    assertThat(result.runDir().resolve("report.md")).exists();
    assertThat(result.runDir().resolve("history.jsonl")).exists();
  }

  @Test
  @Order(2)
  void readsWithoutTheReadBarrierAreCaught() {
    ChaosProfile profile =
        ChaosProfile.readsWithoutBarrier(Long.getLong("chaos.seed", DEFAULT_SEED));

    ChaosResult result = assertTimeoutPreemptively(Duration.ofMinutes(4), () -> run(profile));

    System.out.println(result.summary());
    assertThat(result.historyRejected())
        .as(
            "stale reads from the isolated leader's local copy must fail the run: "
                + result.summary())
        .isTrue();
    assertThat(result.passed()).isFalse();
    // the defect is in the reads alone: the cluster itself did its part
    assertThat(result.problems()).isEmpty();
    assertThat(result.digests().values())
        .hasSize(3)
        .allMatch(d -> d.equals(result.digests().get("n1")));
  }

  private static ChaosResult run(ChaosProfile profile) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir =
        Path.of("target", "chaos", stamp + "-" + profile.name() + "-seed" + profile.seed());
    return new ChaosRunner(cluster, profile, runDir.toAbsolutePath()).run();
  }
}

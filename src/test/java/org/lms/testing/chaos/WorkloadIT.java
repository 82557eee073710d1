package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.chaos.Operation.Status;

/**
 * The {@link Workload} against three real Payara Micro nodes: without faults every client works and
 * almost everything is acknowledged; then the leader is paused (SIGSTOP) for a few seconds, which
 * gives timeouts, unknown writes and a failover. The whole recorded history (written to {@code
 * target/chaos-workload/}) passes the checker and the anomaly checks, with a final read per key.
 * The fault-injection runner builds on this; here one pause only shows that the workload records
 * unknown outcomes the checker can live with.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class WorkloadIT {
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final Duration PAUSE = Duration.ofSeconds(4);
  private static final Duration AFTER = Duration.ofSeconds(8);

  @Test
  void historiesWithAndWithoutAPauseAreLinearizable() throws IOException, InterruptedException {
    long seed = Long.getLong("lms.workload.seed", 1L);
    try (ClusterProcesses cluster = ClusterProcesses.start()) {
      List<InetSocketAddress> endpoints =
          IntStream.rangeClosed(1, ClusterProcesses.SIZE)
              .mapToObj(n -> InetSocketAddress.createUnresolved("127.0.0.1", cluster.grpcPort(n)))
              .toList();
      var history = new History();
      var settings = Workload.Settings.defaults(seed);

      long prepareStart = System.nanoTime();
      try (Workload workload =
          Workload.prepare(endpoints, cluster.adminPassword(), settings, history)) {
        double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;
        assertThat(workload.keys()).hasSize(settings.assignmentKeys() + settings.gradeKeys());
        assertThat(firstValues(history)).containsOnlyKeys(workload.keys());

        workload.start();
        Thread.sleep(QUIET.toMillis());
        long pausedAt = System.nanoTime();
        int leader = cluster.leader();
        long pid = cluster.pid(leader).orElseThrow();
        signal("STOP", pid);
        try {
          Thread.sleep(PAUSE.toMillis());
        } finally {
          signal("CONT", pid);
        }
        Thread.sleep(AFTER.toMillis());
        long stopStart = System.nanoTime();
        workload.stop();
        double stopSeconds = (System.nanoTime() - stopStart) / 1e9;
        long finalStart = System.nanoTime();
        workload.finalReads(Duration.ofSeconds(30));
        double finalSeconds = (System.nanoTime() - finalStart) / 1e9;

        Path dir = Path.of("target", "chaos-workload");
        Files.createDirectories(dir);
        history.writeTo(dir.resolve("history-seed-" + seed + ".jsonl"));
        long checkStart = System.nanoTime();
        LinearizabilityChecker.Report report = new LinearizabilityChecker().check(history);
        List<Anomaly> anomalies = Anomalies.all(history);
        double checkSeconds = (System.nanoTime() - checkStart) / 1e9;
        System.out.printf(
            "workload seed %d: prepare %.1f s, stop %.2f s, final reads %.2f s, check %.2f s;"
                + " n%d paused %.0f s after the start%n%s%n",
            seed,
            prepareSeconds,
            stopSeconds,
            finalSeconds,
            checkSeconds,
            leader,
            QUIET.toSeconds() * 1.0,
            workload.summary());

        assertThat(stopSeconds).isLessThan(settings.deadline().toSeconds() + 3.0);
        Map<String, Long> perClient =
            history.operations().stream()
                .collect(Collectors.groupingBy(Operation::client, Collectors.counting()));
        for (String client : workload.clientNames()) {
          assertThat(perClient.getOrDefault(client, 0L)).as(client).isGreaterThan(20);
        }
        // before the pause, only a lost compare-and-set on a grade may end otherwise than ok
        List<Workload.Call> quiet =
            workload.calls().stream()
                .filter(c -> workload.clientNames().contains(c.operation().client()))
                .filter(c -> c.operation().returnNanos() < pausedAt)
                .toList();
        long quietOk = quiet.stream().filter(c -> c.code().equals("OK")).count();
        long quietLostCas =
            quiet.stream().filter(c -> c.code().equals("FAILED_PRECONDITION")).count();
        assertThat(quiet.size() - quietOk - quietLostCas)
            .as(workload.summary())
            .isLessThanOrEqualTo(quiet.size() / 100);
        assertThat((double) quietOk / quiet.size()).as(workload.summary()).isGreaterThan(0.9);
        // the pause shows: calls to the paused node ran out of time, their writes became unknown
        assertThat(workload.statusCounts().keySet()).anyMatch(k -> k.endsWith("DEADLINE_EXCEEDED"));
        assertThat(workload.calls())
            .anyMatch(c -> c.operation().isWrite() && c.operation().status() == Status.UNKNOWN);
        assertThat(workload.statusCounts()).doesNotContainKeys("read assignment NOT_FOUND");
        assertThat(workload.statusCounts()).doesNotContainKeys("read grade NOT_FOUND");

        assertThat(Anomalies.keysWithoutFinalRead(history)).isEmpty();
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(anomalies).isEmpty();
      }
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -%s %d", signal, pid)
        .isTrue();
  }

  /** The first ok write of each key, which prepare must have recorded. */
  private static Map<String, String> firstValues(History history) {
    return history.operations().stream()
        .filter(op -> op.client().equals(Workload.PREPARE_CLIENT))
        .filter(op -> op.isWrite() && op.status() == Status.OK)
        .collect(Collectors.toMap(Operation::key, Operation::value, (a, b) -> a));
  }
}

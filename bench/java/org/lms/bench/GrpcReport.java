package org.lms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lms.bench.GrpcBenchmark.Failover;
import org.lms.bench.GrpcBenchmark.Level;

/** Writes {@code grpc.json} (machine-readable) and {@code grpc.md} (the summary) of one run. */
record GrpcReport(
    long seconds,
    long warmSeconds,
    double startSeconds,
    double setupSeconds,
    double totalSeconds,
    String loadBefore,
    String loadAfter,
    List<Level> writes,
    List<Level> reads,
    Failover failover) {

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Instant now = Instant.now();
    Failover f = failover;
    var json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"grpc-grades\",\n");
    json.append("  \"date\": \"").append(now).append("\",\n");
    json.append("  \"command\": \"").append(command()).append("\",\n");
    json.append("  \"machine\": \"").append(machine()).append("\",\n");
    json.append("  \"loadBefore\": \"").append(loadBefore).append("\",\n");
    json.append("  \"loadAfter\": \"").append(loadAfter).append("\",\n");
    json.append(
        format(
            "  \"secondsPerLevel\": %d,%n  \"warmUpSecondsPerKind\": %d,%n"
                + "  \"clusterStartSeconds\": %.1f,%n  \"setUpSeconds\": %.1f,%n"
                + "  \"totalSeconds\": %.1f,%n",
            seconds, warmSeconds, startSeconds, setupSeconds, totalSeconds));
    json.append("  \"writes\": ").append(levelsJson(writes)).append(",\n");
    json.append("  \"reads\": ").append(levelsJson(reads)).append(",\n");
    json.append(
        format(
            "  \"leaderKill\": {\"clients\": %d, \"runSeconds\": %.1f, \"killedNode\": \"%s\","
                + " \"killAtSeconds\": %.1f, \"newLeader\": \"%s\", \"newLeaderAfterMs\": %d,"
                + " \"restartedForQuorum\": %b, \"firstWriteAfterKillMs\": %d,"
                + " \"gapAcrossKillMs\": %d, \"longestGapMs\": %d,"
                + " \"longestGapStartsMsAfterKill\": %.0f, \"writesBeforeKill\": %d,"
                + " \"writesAfterKill\": %d, \"clientMoves\": %d, \"failures\": %s,"
                + " \"restartServingSeconds\": %.1f, \"restartCaughtUpSeconds\": %.1f,"
                + " \"digestsAgree\": %b}%n",
            f.clients(),
            f.seconds(),
            f.killedNode(),
            f.killAtSeconds(),
            f.newLeader(),
            f.newLeaderAfterMs(),
            f.restartedForQuorum(),
            f.firstWriteAfterKillMs(),
            f.gapAcrossKillMs(),
            f.longestGapMs(),
            f.longestGapStartsMsAfterKill(),
            f.writesBeforeKill(),
            f.writesAfterKill(),
            f.clientMoves(),
            failuresJson(f.failures()),
            f.restartServingSeconds(),
            f.restartCaughtUpSeconds(),
            f.digestsAgree()));
    json.append("}\n");
    Files.writeString(dir.resolve("grpc.json"), json);

    var md = new StringBuilder();
    md.append("# gRPC API, three Payara Micro nodes: grade writes and reads\n\n");
    md.append("`").append(command()).append("` (`bench/README.md`), finished ").append(now);
    md.append(".\n\n");
    md.append("- Machine: ").append(machine()).append(".\n");
    md.append("- Load average (`uptime`, 1/5/15 min): ")
        .append(loadBefore)
        .append(" before the cluster started, ")
        .append(loadAfter)
        .append(" at the end; the 1-minute value at the end of each level is in the tables.")
        .append(" It counts runnable threads, so the benchmark's own clients raise it.\n");
    md.append(
        format(
            "- Cluster start %.0f s; set-up through the API %.0f s (admin login, instructor,"
                + " course, open assignment, 128 students created, enrolled, logged in, one"
                + " submission each); warm-up %d s of writes and %d s of reads at 8 clients;"
                + " %d s per level; %.0f s in all.%n",
            startSeconds, setupSeconds, warmSeconds, warmSeconds, seconds, totalSeconds));
    md.append(
        "- Closed-loop clients, one thread and blocking stub each; client i pinned to node"
            + " 1 + i % 3; one channel per node. The client JVM shares the 2 cores with the"
            + " nodes. CPU ms/call: CPU time of the three node JVMs together (\"nodes\") and of"
            + " the client JVM, divided by the calls of the level; \"busy\": share of the"
            + " machine's cores in use during the level. \"other nodes\": LMS nodes of other"
            + " clusters (other engineers' tests) running at the end of the level.\n\n");
    md.append(
        "**Grade writes**: `GradingService.GradeSubmission` of the client's own submission with"
            + " the expected version (compare-and-set), as the instructor.\n\n");
    md.append(levelsMd(writes));
    md.append(
        "\n**Grade reads**: `GradingService.GetGrade` of the client's own submission, default"
            + " consistency (the node's own copy), as the instructor.\n\n");
    md.append(levelsMd(reads));
    md.append(
        format(
            "%n**Leader kill**: %d writing clients for %.0f s; %s (the leader) killed with"
                + " SIGKILL %.1f s in; a client moves to the next node on UNAVAILABLE or"
                + " DEADLINE_EXCEEDED (%d moves in all).%n%n"
                + "| new leader | first write after the kill | gap across the kill |"
                + " longest gap between writes | writes before / after | failed calls |%n"
                + "|---|---:|---:|---:|---:|---|%n"
                + "| %s after %d ms%s | %d ms | %d ms | %d ms (from %.0f ms after the kill) |"
                + " %d / %d | %s |%n%n"
                + "%s %s: serving %.1f s after its start, same applied index on all nodes"
                + " after %.1f s, state digests %s.%n",
            f.clients(),
            f.seconds(),
            f.killedNode(),
            f.killAtSeconds(),
            f.clientMoves(),
            f.newLeader(),
            f.newLeaderAfterMs(),
            f.restartedForQuorum() ? " (only once the killed node was back)" : "",
            f.firstWriteAfterKillMs(),
            f.gapAcrossKillMs(),
            f.longestGapMs(),
            f.longestGapStartsMsAfterKill(),
            f.writesBeforeKill(),
            f.writesAfterKill(),
            f.failures().isEmpty() ? "none" : f.failures().toString(),
            f.killedNode(),
            f.restartedForQuorum()
                ? "started again while the clients ran (the survivors elected no leader within "
                    + GrpcBenchmark.NO_LEADER_GIVE_UP.toSeconds()
                    + " s)"
                : "started again after the run",
            f.restartServingSeconds(),
            f.restartCaughtUpSeconds(),
            f.digestsAgree() ? "equal on all three nodes" : "DIFFERENT"));
    md.append("\nWhat limits these numbers: `bench/README.md`, section \"gRPC benchmark\".\n");
    Files.writeString(dir.resolve("grpc.md"), md);
  }

  private String command() {
    return "bench/run grpc "
        + seconds
        + " "
        + Math.round(failover.seconds())
        + " "
        + failover.clients();
  }

  private static String levelsJson(List<Level> levels) {
    var s = new StringBuilder("[\n");
    for (int i = 0; i < levels.size(); i++) {
      Level l = levels.get(i);
      s.append(
          format(
              "    {\"clients\": %d, \"calls\": %d, \"perSecond\": %.1f, \"p50Ms\": %.2f,"
                  + " \"p99Ms\": %.2f, \"maxMs\": %.2f, \"failures\": %s,"
                  + " \"nodesCpuMsPerCall\": %.2f, \"clientCpuMsPerCall\": %.2f,"
                  + " \"machineBusyPercent\": %.0f, \"appliedIndexAfter\": %d,"
                  + " \"load1m\": \"%s\", \"otherLmsNodes\": %d}%s%n",
              l.clients(),
              l.operations(),
              l.perSecond(),
              l.p50(),
              l.p99(),
              l.max(),
              failuresJson(l.failures()),
              l.nodesCpuMsPerCall(),
              l.clientCpuMsPerCall(),
              l.cpu().machineBusyPercent(),
              l.appliedIndex(),
              l.load().split(" ")[0],
              l.otherNodes(),
              i < levels.size() - 1 ? "," : ""));
    }
    return s.append("  ]").toString();
  }

  private static String levelsMd(List<Level> levels) {
    var s = new StringBuilder();
    s.append(
        "| clients | calls/s | p50 ms | p99 ms | max ms | failed calls | CPU ms/call nodes |"
            + " CPU ms/call client | busy | load 1m | other nodes |\n");
    s.append("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (Level l : levels) {
      s.append(
          format(
              "| %d | %.1f | %.2f | %.2f | %.2f | %s | %.2f | %.2f | %.0f%% | %s | %d |%n",
              l.clients(),
              l.perSecond(),
              l.p50(),
              l.p99(),
              l.max(),
              l.failures().isEmpty() ? "0" : l.failures().toString(),
              l.nodesCpuMsPerCall(),
              l.clientCpuMsPerCall(),
              l.cpu().machineBusyPercent(),
              l.load().split(" ")[0],
              l.otherNodes()));
    }
    return s.toString();
  }

  static String failuresJson(Map<String, Long> failures) {
    var s = new StringBuilder("{");
    failures.forEach(
        (code, n) ->
            s.append(s.length() > 1 ? ", " : "").append(jsonString(code)).append(": ").append(n));
    return s.append('}').toString();
  }

  /** {@code text} as a JSON string (failure names may quote what a page lacked). */
  static String jsonString(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  static String machine() {
    String cpu = "unknown CPU";
    long memMb = -1;
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(cpu);
      memMb =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal:"))
              .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
              .findFirst()
              .orElse(-1L);
    } catch (IOException | RuntimeException e) {
      // the facts stay unknown
    }
    return format(
        "%d cores (%s), %d MB RAM, %s %s; nodes: Payara Micro 6.2025.10, -Xmx384m"
            + " -XX:+UseSerialGC, embedded MongoDB (mongo-java-server, H2 backend)",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memMb,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}

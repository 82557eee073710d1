package org.lms.testing.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lms.testing.chaos.ChaosResult.FaultResult;
import org.lms.testing.chaos.LinearizabilityChecker.KeyResult;

/**
 * Judges a chaos run from its history and episodes, and writes {@code report.md} and {@code
 * report.json}. Besides the checker's verdict it holds each fault to the rules of a valid test:
 * enough acknowledged operations before and after it and some begun while it lasted, recovery
 * within its bound, and the facts its episode required (a new leader, a purged log).
 */
public final class ChaosReport {

  /** Acknowledged operations the quiet windows before and after a fault must each hold. */
  static final long MIN_OK_BEFORE = 20;

  static final long MIN_OK_AFTER = 20;

  /** Operations that must have begun while a fault lasted for it to count as tested. */
  static final long MIN_INVOKED_DURING = 10;

  private ChaosReport() {}

  static ChaosResult evaluate(
      ChaosProfile profile,
      Path runDir,
      History history,
      List<FaultEpisode> episodes,
      Map<String, String> digests,
      Map<String, Long> clientStatuses,
      List<String> problems,
      long runNanos) {
    List<Operation> operations = history.operations();
    LinearizabilityChecker.Report linearizability = new LinearizabilityChecker().check(history);
    List<Anomaly> anomalies = Anomalies.all(history);
    var faults = new ArrayList<FaultResult>();
    for (FaultEpisode episode : episodes) {
      faults.add(judge(episode, operations, linearizability.failures(), anomalies));
    }
    var byStatus = new EnumMap<Operation.Status, Long>(Operation.Status.class);
    for (Operation.Status status : Operation.Status.values()) {
      byStatus.put(status, 0L);
    }
    operations.forEach(op -> byStatus.merge(op.status(), 1L, Long::sum));
    return new ChaosResult(
        profile,
        runDir,
        Duration.ofNanos(runNanos),
        byStatus,
        faults,
        linearizability,
        anomalies,
        Anomalies.keysWithoutFinalRead(history),
        digests,
        clientStatuses,
        problems);
  }

  /** What the history says about one fault, and whether it passes. */
  static FaultResult judge(
      FaultEpisode e,
      List<Operation> operations,
      List<KeyResult> failures,
      List<Anomaly> anomalies) {
    long during = e.duringEndNanos();
    long okBefore =
        operations.stream()
            .filter(op -> op.status() == Operation.Status.OK)
            .filter(op -> op.invokeNanos() >= e.startNanos() && op.returnNanos() < e.injectNanos())
            .count();
    List<Operation> begunDuring =
        operations.stream()
            .filter(op -> op.invokeNanos() >= e.injectNanos() && op.invokeNanos() < during)
            .toList();
    long invokedDuring = begunDuring.size();
    long okDuring = begunDuring.stream().filter(op -> op.status() == Operation.Status.OK).count();
    long okAfter =
        e.recovered()
            ? operations.stream()
                .filter(op -> op.status() == Operation.Status.OK)
                .filter(op -> op.invokeNanos() >= during && op.returnNanos() < e.endNanos())
                .count()
            : 0;
    Duration unavailable = longestWithoutWrite(operations, e.injectNanos(), e.endNanos());

    var violations = new ArrayList<String>();
    for (KeyResult failure : failures) {
      if (failure.involved().stream().anyMatch(op -> within(op, e))) {
        violations.add(failure.key() + ": " + failure.verdict() + ": " + failure.explanation());
      }
    }
    for (Anomaly anomaly : anomalies) {
      if (anomaly.operations().stream().anyMatch(op -> within(op, e))) {
        violations.add(anomaly.toString());
      }
    }

    var problems = new ArrayList<>(e.problems());
    if (okBefore < MIN_OK_BEFORE) {
      problems.add(
          "only " + okBefore + " operations acknowledged before the fault (" + MIN_OK_BEFORE + ")");
    }
    if (invokedDuring < MIN_INVOKED_DURING) {
      problems.add(
          "only "
              + invokedDuring
              + " operations begun while the fault lasted ("
              + MIN_INVOKED_DURING
              + ")");
    }
    if (e.recovered() && okAfter < MIN_OK_AFTER) {
      problems.add(
          "only " + okAfter + " operations acknowledged after recovery (" + MIN_OK_AFTER + ")");
    }
    if (!violations.isEmpty()) {
      problems.add(violations.size() + " consistency violation(s) in its window");
    }
    return new FaultResult(
        e, okBefore, invokedDuring, okDuring, okAfter, unavailable, violations, problems);
  }

  /**
   * The longest stretch of {@code [from, to]} in which no write was acknowledged: from {@code from}
   * to the first acknowledgement, between two, and from the last to {@code to}.
   */
  static Duration longestWithoutWrite(List<Operation> operations, long from, long to) {
    long[] acks =
        operations.stream()
            .filter(op -> op.isWrite() && op.status() == Operation.Status.OK)
            .mapToLong(Operation::returnNanos)
            .filter(t -> t > from && t <= to)
            .sorted()
            .toArray();
    long longest = 0;
    long previous = from;
    for (long ack : acks) {
      longest = Math.max(longest, ack - previous);
      previous = ack;
    }
    longest = Math.max(longest, to - previous);
    return Duration.ofNanos(Math.max(0, longest));
  }

  private static boolean within(Operation op, FaultEpisode e) {
    return op.invokeNanos() >= e.startNanos() && op.invokeNanos() < e.endNanos();
  }

  // ---------------------------------------------------------------- writing

  static void write(ChaosResult result, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.md"), markdown(result), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.json"), json(result), StandardCharsets.UTF_8);
  }

  static String markdown(ChaosResult r) {
    var b = new StringBuilder();
    b.append("# Chaos run: ").append(r.profile().name()).append("\n\n");
    b.append("- verdict: **").append(r.passed() ? "PASSED" : "FAILED").append("**\n");
    b.append("- seed: ").append(r.profile().seed()).append("\n");
    b.append("- duration: ").append(seconds(r.duration())).append(" s\n");
    b.append("- operations: ").append(r.operations()).append("\n");
    b.append("- gRPC statuses seen by the clients: ").append(r.clientStatuses()).append("\n");
    b.append("- linearizability: ").append(r.linearizability().summary().replace("\n", "\n  "));
    b.append("\n- anomalies: ").append(r.anomalies().size()).append("\n");
    b.append("- keys without a final read: ").append(r.keysWithoutFinalRead().size()).append("\n");
    b.append("- state digests after healing: ").append(r.digests()).append("\n\n");
    b.append(
        "| # | fault | target | ok before | begun during | ok during | ok after |"
            + " longest without a write (s) | recovery (s) | leader before / new / after |"
            + " verdict |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (FaultResult f : r.faults()) {
      FaultEpisode e = f.episode();
      b.append("| ")
          .append(e.number())
          .append(" | ")
          .append(e.kind().description())
          .append(" | ")
          .append(e.target())
          .append(" | ")
          .append(f.okBefore())
          .append(" | ")
          .append(f.invokedDuring())
          .append(" | ")
          .append(f.okDuring())
          .append(" | ")
          .append(f.okAfter())
          .append(" | ")
          .append(seconds(f.longestUnavailable()))
          .append(" | ")
          .append(e.recovered() ? seconds(e.recoveryTime()) : "not recovered")
          .append(" | ")
          .append(orDash(e.leaderBefore()))
          .append(" / ")
          .append(orDash(e.newLeader()))
          .append(" / ")
          .append(orDash(e.leaderAfter()))
          .append(" | ")
          .append(f.passed() ? "pass" : "FAIL")
          .append(" |\n");
    }
    for (FaultResult f : r.faults()) {
      if (f.episode().notes().isEmpty() && f.problems().isEmpty()) {
        continue;
      }
      b.append("\n## Fault ")
          .append(f.episode().number())
          .append(": ")
          .append(f.episode().kind())
          .append("\n\n");
      f.episode().notes().forEach(n -> b.append("- ").append(n).append("\n"));
      f.problems().forEach(p -> b.append("- **problem**: ").append(p).append("\n"));
      f.violations().stream().limit(20).forEach(v -> b.append("  - ").append(v).append("\n"));
    }
    if (!r.problems().isEmpty()) {
      b.append("\n## Problems outside the faults\n\n");
      r.problems().forEach(p -> b.append("- ").append(p).append("\n"));
    }
    if (!r.anomalies().isEmpty()) {
      b.append("\n## Anomalies (first 50)\n\n");
      r.anomalies().stream().limit(50).forEach(a -> b.append("- ").append(a).append("\n"));
    }
    b.append(
        "\nFiles: `history.jsonl` (every operation, one JSON line each; see docs/chaos.md),"
            + " `report.json`, `nodes/` (each node's log).\n");
    return b.toString();
  }

  static String json(ChaosResult r) {
    var b = new StringBuilder("{\n");
    field(b, "profile", str(r.profile().name()), true);
    field(b, "seed", String.valueOf(r.profile().seed()), true);
    field(b, "passed", String.valueOf(r.passed()), true);
    field(b, "durationSeconds", seconds(r.duration()), true);
    field(b, "operations", object(r.operations(), s -> s.name().toLowerCase(Locale.ROOT)), true);
    field(b, "clientStatuses", object(r.clientStatuses(), Function.identity()), true);
    field(
        b,
        "linearizability",
        "{\"keys\": "
            + r.linearizability().keys().size()
            + ", \"failures\": "
            + list(
                r.linearizability().failures().stream()
                    .map(k -> k.key() + ": " + k.verdict() + ": " + k.explanation())
                    .toList())
            + "}",
        true);
    field(b, "anomalies", list(r.anomalies().stream().map(Anomaly::toString).toList()), true);
    field(b, "keysWithoutFinalRead", list(r.keysWithoutFinalRead()), true);
    field(b, "digests", object(r.digests(), Function.identity()), true);
    field(b, "problems", list(r.problems()), true);
    b.append("  \"faults\": [");
    for (int i = 0; i < r.faults().size(); i++) {
      FaultResult f = r.faults().get(i);
      FaultEpisode e = f.episode();
      b.append(i == 0 ? "\n" : ",\n").append("    {");
      b.append("\"number\": ").append(e.number());
      b.append(", \"fault\": ").append(str(e.kind().name()));
      b.append(", \"description\": ").append(str(e.kind().description()));
      b.append(", \"target\": ").append(str(e.target()));
      b.append(", \"okBefore\": ").append(f.okBefore());
      b.append(", \"invokedDuring\": ").append(f.invokedDuring());
      b.append(", \"okDuring\": ").append(f.okDuring());
      b.append(", \"okAfter\": ").append(f.okAfter());
      b.append(", \"longestUnavailableSeconds\": ").append(seconds(f.longestUnavailable()));
      b.append(", \"recoverySeconds\": ")
          .append(e.recovered() ? seconds(e.recoveryTime()) : "null");
      b.append(", \"recoveryBoundSeconds\": ").append(e.recoveryBound().toSeconds());
      b.append(", \"leaderBefore\": ").append(str(e.leaderBefore()));
      b.append(", \"newLeader\": ").append(str(e.newLeader()));
      b.append(", \"leaderAfter\": ").append(str(e.leaderAfter()));
      b.append(", \"notes\": ").append(list(e.notes()));
      b.append(", \"violations\": ").append(list(f.violations()));
      b.append(", \"problems\": ").append(list(f.problems()));
      b.append(", \"passed\": ").append(f.passed());
      b.append("}");
    }
    b.append("\n  ]\n}\n");
    return b.toString();
  }

  private static void field(StringBuilder b, String name, String value, boolean more) {
    b.append("  ").append(str(name)).append(": ").append(value).append(more ? ",\n" : "\n");
  }

  private static <K> String object(Map<K, ?> map, Function<K, String> key) {
    return map.entrySet().stream()
        .map(
            e -> {
              Object v = e.getValue();
              String value = v instanceof Number ? v.toString() : str(String.valueOf(v));
              return str(key.apply(e.getKey())) + ": " + value;
            })
        .sorted()
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String list(List<String> items) {
    return items.stream().map(ChaosReport::str).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A JSON string literal ({@link JsonLine#quote}), or {@code null}. */
  static String str(String s) {
    return s == null ? "null" : JsonLine.quote(s);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}

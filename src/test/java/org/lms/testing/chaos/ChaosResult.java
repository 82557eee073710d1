package org.lms.testing.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The verdict of one chaos run, everything {@link ChaosReport} writes.
 *
 * @param profile what was run
 * @param runDir where the report, history and node logs are
 * @param duration wall time of the run
 * @param operations operations in the history, by status
 * @param faults each fault with its windows and verdict
 * @param linearizability the checker's verdict per key
 * @param anomalies named violations (lost writes, phantom and stale reads)
 * @param keysWithoutFinalRead keys the final reads did not reach
 * @param digests every node's state digest after healing
 * @param clientStatuses the workload's count of gRPC status codes
 * @param problems what failed outside any one fault (recovery at the end, final reads, digests)
 */
public record ChaosResult(
    ChaosProfile profile,
    Path runDir,
    Duration duration,
    Map<Operation.Status, Long> operations,
    List<FaultResult> faults,
    LinearizabilityChecker.Report linearizability,
    List<Anomaly> anomalies,
    List<String> keysWithoutFinalRead,
    Map<String, String> digests,
    Map<String, Long> clientStatuses,
    List<String> problems) {

  /**
   * One fault and what the history shows about it.
   *
   * @param okBefore operations acknowledged in the quiet window before it
   * @param invokedDuring operations begun between injection and recovery
   * @param okDuring of those, how many were acknowledged
   * @param okAfter operations acknowledged in the quiet window after recovery
   * @param longestUnavailable the longest stretch from injection to the episode's end with no write
   *     acknowledged
   * @param violations linearizability failures and anomalies with an operation in the episode
   * @param problems why the episode fails (validity, recovery bound, violations)
   */
  public record FaultResult(
      FaultEpisode episode,
      long okBefore,
      long invokedDuring,
      long okDuring,
      long okAfter,
      Duration longestUnavailable,
      List<String> violations,
      List<String> problems) {
    public FaultResult {
      violations = List.copyOf(violations);
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return problems.isEmpty();
    }
  }

  public ChaosResult {
    operations = Map.copyOf(operations);
    faults = List.copyOf(faults);
    anomalies = List.copyOf(anomalies);
    keysWithoutFinalRead = List.copyOf(keysWithoutFinalRead);
    digests = Map.copyOf(digests);
    clientStatuses = Map.copyOf(clientStatuses);
    problems = List.copyOf(problems);
  }

  /** Every check held: the history, the digests, recovery and validity of every fault. */
  public boolean passed() {
    return problems.isEmpty()
        && linearizability.passed()
        && anomalies.isEmpty()
        && keysWithoutFinalRead.isEmpty()
        && faults.stream().allMatch(FaultResult::passed);
  }

  /** The history was judged not linearizable (as the deliberate defect must be). */
  public boolean historyRejected() {
    return !linearizability.passed() || !anomalies.isEmpty();
  }

  /** A few lines for a test failure message; the report has the rest. */
  public String summary() {
    var b = new StringBuilder();
    b.append(passed() ? "PASSED" : "FAILED")
        .append(": ")
        .append(profile.name())
        .append(" seed ")
        .append(profile.seed())
        .append(", ")
        .append(faults.size())
        .append(" faults, operations ")
        .append(operations)
        .append("; report ")
        .append(runDir.resolve("report.md"));
    problems.forEach(p -> b.append("\n- ").append(p));
    for (FaultResult f : faults) {
      f.problems()
          .forEach(
              p ->
                  b.append("\n- fault ")
                      .append(f.episode().number())
                      .append(" ")
                      .append(f.episode().kind())
                      .append(": ")
                      .append(p));
    }
    if (!linearizability.passed()) {
      b.append("\n- linearizability: ").append(linearizability.summary());
    }
    anomalies.stream().limit(10).forEach(a -> b.append("\n- ").append(a));
    if (!keysWithoutFinalRead.isEmpty()) {
      b.append("\n- keys without a final read: ").append(keysWithoutFinalRead);
    }
    return b.toString();
  }
}

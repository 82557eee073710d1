package org.lms.testing.chaos;

import java.time.Duration;
import java.util.List;

/**
 * What happened during one injected fault, in the clock of the history ({@link System#nanoTime()}
 * of the runner's JVM). The windows the report judges: <em>before</em> is {@code [startNanos,
 * injectNanos)}, <em>during</em> {@code [injectNanos, recoveredNanos)}, <em>after</em> {@code
 * [recoveredNanos, endNanos)}.
 *
 * @param number 1-based position in the run
 * @param target whom it hit, in words (e.g. "leader n2", "n1 and n3 cut, n2 bridges")
 * @param startNanos when the quiet window before the fault began
 * @param injectNanos when the fault was injected
 * @param healNanos when the runner began to heal it (restart, SIGCONT, links restored)
 * @param recoveredNanos when every node was back, ready under one leader and caught up with the
 *     leader's commit index at healing; {@code -1} if that did not happen within the bound
 * @param endNanos when the quiet window after it ended
 * @param leaderBefore the leader when the fault was injected
 * @param newLeader the node seen elected in place of the old leader while the fault lasted, or null
 * @param leaderAfter the leader after recovery, or null
 * @param recoveryBound how long recovery may take
 * @param notes facts worth reading in the report (e.g. the log start index the follower missed)
 * @param problems reasons the episode does not count as a valid, passing test of its fault
 */
public record FaultEpisode(
    int number,
    FaultKind kind,
    String target,
    long startNanos,
    long injectNanos,
    long healNanos,
    long recoveredNanos,
    long endNanos,
    String leaderBefore,
    String newLeader,
    String leaderAfter,
    Duration recoveryBound,
    List<String> notes,
    List<String> problems) {

  public FaultEpisode {
    notes = List.copyOf(notes);
    problems = List.copyOf(problems);
  }

  public boolean recovered() {
    return recoveredNanos >= 0;
  }

  /** From healing to recovery; null when the cluster did not recover. */
  public Duration recoveryTime() {
    return recovered() ? Duration.ofNanos(recoveredNanos - healNanos) : null;
  }

  /** The end of the "during" window: recovery, or the end of the episode if none came. */
  public long duringEndNanos() {
    return recovered() ? recoveredNanos : endNanos;
  }
}

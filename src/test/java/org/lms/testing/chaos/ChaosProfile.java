package org.lms.testing.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one chaos run does: which faults, for how long, with which workload.
 *
 * @param name short name for the run directory and the report ("bounded", "soak", "defect")
 * @param faults the faults injected in this order; a soak run starts over with a shuffled list
 *     until {@code soak} has passed
 * @param soak zero for one pass over {@code faults}; otherwise how long to keep injecting
 * @param quiet the fault-free stretch of workload before and after every fault
 * @param seed seeds the choice of targets and pauses and the workload
 * @param workload the clients
 */
public record ChaosProfile(
    String name,
    List<FaultKind> faults,
    Duration soak,
    Duration quiet,
    long seed,
    Workload.Settings workload) {

  /** The fault-free stretch before and after each fault in the bounded profile. */
  static final Duration QUIET = Duration.ofSeconds(3);

  public ChaosProfile {
    Objects.requireNonNull(name, "name");
    faults = List.copyOf(faults);
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("a chaos run needs at least one fault");
    }
  }

  /**
   * Every fault once, in the order of {@link FaultKind}: what {@code ./lms chaos} runs by default
   * (about six minutes; CI leaves it out for now, docs/chaos.md "Open").
   */
  public static ChaosProfile bounded(long seed) {
    return new ChaosProfile(
        "bounded",
        List.of(FaultKind.values()),
        Duration.ZERO,
        QUIET,
        seed,
        Workload.Settings.defaults(seed));
  }

  /** Faults in seeded random order, again and again, for {@code length}: run by hand. */
  public static ChaosProfile soak(Duration length, long seed) {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a soak run needs a positive length");
    }
    return new ChaosProfile(
        "soak", List.of(FaultKind.values()), length, QUIET, seed, Workload.Settings.defaults(seed));
  }

  /**
   * The deliberate defect: reads answered from the contacted node's local copy, without the read
   * barrier, while the leader is isolated. The runner must fail such a run.
   */
  public static ChaosProfile readsWithoutBarrier(long seed) {
    Workload.Settings normal = Workload.Settings.defaults(seed);
    return new ChaosProfile(
        "defect-local-reads",
        List.of(FaultKind.ISOLATE_LEADER),
        Duration.ZERO,
        QUIET,
        seed,
        new Workload.Settings(
            normal.clients(),
            normal.pinnedClients(),
            // few keys, so reads through the isolated node soon meet a value written elsewhere
            4,
            2,
            normal.deadline(),
            false,
            normal.writeRatio(),
            normal.thinkTime(),
            seed,
            normal.retry(),
            normal.createRatio()));
  }

  public boolean isSoak() {
    return !soak.isZero();
  }
}

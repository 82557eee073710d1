package org.lms.testing.chaos;

/**
 * The faults the runner injects (issue 4's list). Each names what it does to whom; {@link
 * ChaosRunner} carries them out and heals them.
 */
public enum FaultKind {
  /** SIGKILL of the leader; it is restarted once a new leader serves. */
  KILL_LEADER("kill -9 of the leader, then restart", true),
  /** SIGKILL of a follower; restarted after a few seconds. */
  KILL_FOLLOWER("kill -9 of a follower, then restart", false),
  /** SIGKILL of the leader and a follower: no quorum until both are restarted (in parallel). */
  KILL_TWO("kill -9 of the leader and a follower, then restart both", false),
  /** SIGSTOP of the leader for 3-5 election timeouts, then SIGCONT: it must step down. */
  PAUSE_LEADER("SIGSTOP of the leader for 3-5 election timeouts, then SIGCONT", true),
  /** The leader cut from both peers (clients still reach it), then healed. */
  ISOLATE_LEADER("the leader isolated from both peers", true),
  /** A follower stays connected to both others, which are cut from each other. */
  BRIDGE_PARTITION(
      "bridge partition: the leader and a follower cut, the other follower sees both", false),
  /**
   * A follower cut off until the leader has taken a snapshot and purged its log past the follower,
   * so catching up needs a snapshot installation.
   */
  SNAPSHOT_INSTALL("a follower cut off until the leader purged its log past it", false),
  /**
   * Every node, the leader first, killed with SIGKILL a few seconds after the one before and
   * restarted at once: the next dies while the last one boots, so for a while no quorum is up.
   */
  RESTART_STORM(
      "restart storm: every node killed in turn, seconds apart, each restarted at once", true);

  private final String description;
  private final boolean leaderMustChange;

  FaultKind(String description, boolean leaderMustChange) {
    this.description = description;
    this.leaderMustChange = leaderMustChange;
  }

  public String description() {
    return description;
  }

  /**
   * Whether the run is only valid if a node other than the old leader was elected while the fault
   * lasted (the fault took the leader out while a quorum of the others remained).
   */
  public boolean leaderMustChange() {
    return leaderMustChange;
  }

  /**
   * Kills nodes and starts them again (as opposed to pausing one or cutting links), so recovery
   * gets the restart bound.
   */
  public boolean restartsNodes() {
    return this == KILL_LEADER
        || this == KILL_FOLLOWER
        || this == KILL_TWO
        || this == RESTART_STORM;
  }
}

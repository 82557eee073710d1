package org.lms.application.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What this node knows about its place in the Raft group, for status pages and health checks. */
public interface ClusterStatus {

  /** The role of the node that leads the group. */
  String LEADER = "LEADER";

  /** The role reported while this node's Raft server is not running. */
  String DOWN = "DOWN";

  NodeStatus local();

  /**
   * Every node of the group this node can describe, itself first. A leader knows its followers; a
   * follower may know only itself, which is the default.
   */
  default List<NodeStatus> group() {
    return List.of(local());
  }

  /**
   * One node's view: its role, term, indexes and the leader it follows.
   *
   * @param lastContact how long ago this node last heard from the leader, or (described by the
   *     leader) the leader from it; empty when unknown or for the leader itself
   */
  record NodeStatus(
      String nodeId,
      String role,
      long term,
      long commitIndex,
      long appliedIndex,
      Optional<String> leaderId,
      boolean ready,
      Optional<Duration> lastContact) {

    /** A status without a known last contact. */
    public NodeStatus(
        String nodeId,
        String role,
        long term,
        long commitIndex,
        long appliedIndex,
        Optional<String> leaderId,
        boolean ready) {
      this(nodeId, role, term, commitIndex, appliedIndex, leaderId, ready, Optional.empty());
    }

    public boolean isLeader() {
      return LEADER.equals(role);
    }

    public boolean isDown() {
      return DOWN.equals(role);
    }
  }
}

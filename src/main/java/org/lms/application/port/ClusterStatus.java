package org.lms.application.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What this node knows about its place in the Raft group, for status pages and health checks. */
public interface ClusterStatus {

  /** The role of the node that leads the group. */
  String LEADER = "LEADER";

  /** The role reported while a node's Raft server is not running. */
  String DOWN = "DOWN";

  /**
   * The role reported for a peer that did not answer within the bound of {@link #group()}: it may
   * be stopped, cut off from this node, or too slow to tell.
   */
  String UNKNOWN = "UNKNOWN";

  NodeStatus local();

  /**
   * Every node of the group, this node first, then its peers in id order, each as that node
   * describes itself. Asking the peers is bounded (about a second); a peer that does not answer in
   * time is listed with role {@link #UNKNOWN}. The default knows only this node.
   */
  default List<NodeStatus> group() {
    return List.of(local());
  }

  /**
   * The ids of the group's members now, in id order: the replicated Raft configuration's, which
   * changes when a dead node is replaced. The default knows only this node.
   */
  default List<String> members() {
    return List.of(local().nodeId());
  }

  /**
   * One node's view: its role, term, indexes and the leader it follows.
   *
   * @param lastContact how long ago this node last heard from its leader (a follower) or from the
   *     last leader it had (a candidate); empty for the leader itself and when unknown
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

    /** What is known of a peer that did not answer: its id only. */
    public static NodeStatus unknown(String nodeId) {
      return new NodeStatus(nodeId, UNKNOWN, 0, 0, 0, Optional.empty(), false);
    }

    public boolean isLeader() {
      return LEADER.equals(role);
    }

    public boolean isDown() {
      return DOWN.equals(role);
    }

    /** Whether the node did not answer, so nothing but its id is known. */
    public boolean isUnknown() {
      return UNKNOWN.equals(role);
    }
  }
}

package org.lms.application.port;

import java.util.Optional;

/** What this node knows about its place in the Raft group, for status pages and health checks. */
public interface ClusterStatus {

  NodeStatus local();

  /** One node's view: its role, term, indexes and the leader it follows. */
  record NodeStatus(
      String nodeId,
      String role,
      long term,
      long commitIndex,
      long appliedIndex,
      Optional<String> leaderId,
      boolean ready) {}
}

package org.lms.interfaces.web;

import org.lms.application.port.ClusterStatus.NodeStatus;

/**
 * What {@code GET /api/status} answers: this node's place in the Raft group. {@code leaderId} is
 * null while no leader is known.
 */
public record StatusView(
    String nodeId,
    String role,
    long term,
    long commitIndex,
    long appliedIndex,
    String leaderId,
    boolean ready) {

  static StatusView of(NodeStatus status) {
    return new StatusView(
        status.nodeId(),
        status.role(),
        status.term(),
        status.commitIndex(),
        status.appliedIndex(),
        status.leaderId().orElse(null),
        status.ready());
  }
}

package org.lms.interfaces.web;

import java.util.List;
import org.lms.application.port.ClusterStatus.NodeStatus;

/**
 * What {@code GET /api/status} answers: this node's place in the Raft group. {@code leaderId} is
 * null while no leader is known; {@code members} are the ids of the group's members now, from the
 * replicated Raft configuration (they change when a dead node is replaced).
 */
public record StatusView(
    String nodeId,
    String role,
    long term,
    long commitIndex,
    long appliedIndex,
    String leaderId,
    boolean ready,
    List<String> members) {

  public StatusView {
    members = List.copyOf(members);
  }

  static StatusView of(NodeStatus status, List<String> members) {
    return new StatusView(
        status.nodeId(),
        status.role(),
        status.term(),
        status.commitIndex(),
        status.appliedIndex(),
        status.leaderId().orElse(null),
        status.ready(),
        members);
  }
}

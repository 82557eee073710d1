package org.lms.infrastructure.raft;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.lms.application.port.ClusterStatus;

/**
 * This node's place in the Raft group, read from its Ratis server's division: role, term, commit
 * and applied indexes, the leader it follows. A node whose server is stopped reports role {@code
 * DOWN}.
 */
public final class RatisClusterStatus implements ClusterStatus {

  /** How far the applied index may trail the commit index for the node to count as ready. */
  public static final long READY_LAG = 10;

  private final String nodeId;
  private final RaftGroupId groupId;
  private final Supplier<RaftServer> server;
  private final AppliedIndexWaiter applied;

  RatisClusterStatus(
      String nodeId, RaftGroupId groupId, Supplier<RaftServer> server, AppliedIndexWaiter applied) {
    this.nodeId = nodeId;
    this.groupId = groupId;
    this.server = server;
    this.applied = applied;
  }

  @Override
  public NodeStatus local() {
    RaftServer current = server.get();
    if (current == null || current.getLifeCycleState().isClosingOrClosed()) {
      return down();
    }
    RaftServer.Division division;
    try {
      division = current.getDivision(groupId);
    } catch (IOException e) {
      return down();
    }
    try {
      return describe(division);
    } catch (IllegalStateException e) {
      // a division being started (e.g. restarted by the watchdog) has neither log nor state
      // machine updater yet; Ratis throws from whichever of them is read first
      return down();
    }
  }

  private NodeStatus describe(RaftServer.Division division) {
    DivisionInfo info = division.getInfo();
    if (!info.isAlive()) {
      return down();
    }
    long commit = division.getRaftLog().getLastCommittedIndex();
    long appliedIndex = info.getLastAppliedIndex();
    Optional<String> leader = Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString);
    boolean ready = leader.isPresent() && appliedIndex >= commit - READY_LAG;
    return new NodeStatus(
        nodeId,
        info.getCurrentRole().name(),
        info.getCurrentTerm(),
        commit,
        appliedIndex,
        leader,
        ready);
  }

  private NodeStatus down() {
    return new NodeStatus(
        nodeId, ClusterStatus.DOWN, 0, 0, applied.applied(), Optional.empty(), false);
  }
}

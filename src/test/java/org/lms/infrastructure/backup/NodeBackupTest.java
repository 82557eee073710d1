package org.lms.infrastructure.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.ClusterStatus.NodeStatus;

/** When a node refuses to take a backup, and what it tells the operator. */
class NodeBackupTest {

  @Test
  void aReadyNodeTakesIt() {
    assertThat(NodeBackup.refusal(status("FOLLOWER", Optional.of("n1"), true, 40, 40))).isEmpty();
    assertThat(NodeBackup.refusal(status("LEADER", Optional.of("n2"), true, 40, 42))).isEmpty();
  }

  @Test
  void aNodeWithoutRaftRefuses() {
    assertThat(NodeBackup.refusal(status(ClusterStatus.DOWN, Optional.empty(), false, 0, 0)))
        .hasValueSatisfying(r -> assertThat(r).contains("Raft server of n2 is not running"));
  }

  @Test
  void aNodeThatKnowsNoLeaderRefuses() {
    assertThat(NodeBackup.refusal(status("CANDIDATE", Optional.empty(), false, 40, 40)))
        .hasValueSatisfying(r -> assertThat(r).contains("knows no leader"));
  }

  @Test
  void aNodeFarBehindRefusesAndSaysHowFar() {
    assertThat(NodeBackup.refusal(status("FOLLOWER", Optional.of("n1"), false, 12, 400)))
        .hasValueSatisfying(r -> assertThat(r).contains("applied 12 of 400"));
  }

  private static NodeStatus status(
      String role, Optional<String> leader, boolean ready, long applied, long commit) {
    return new NodeStatus("n2", role, 4, commit, applied, leader, ready);
  }
}

package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.application.port.LanguageModel.Health;
import org.lms.interfaces.web.portal.ClusterBacking.NodeRow;

/** The cluster page's rows, from the statuses the nodes gave (no Faces needed). */
class ClusterBackingTest {

  private static final NodeStatus FOLLOWER =
      new NodeStatus(
          "n2",
          "FOLLOWER",
          4,
          120,
          118,
          Optional.of("n1"),
          true,
          Optional.of(Duration.ofMillis(1500)));
  private static final NodeStatus LEADER =
      new NodeStatus("n1", "LEADER", 4, 131, 131, Optional.of("n1"), true);

  @Test
  void answeredNodesShowTheirOwnNumbersAndLagBehindTheHighestCommit() {
    List<NodeRow> rows = ClusterBacking.rows(List.of(FOLLOWER, LEADER, NodeStatus.unknown("n3")));

    assertThat(rows).extracting(NodeRow::nodeId).containsExactly("n2", "n1", "n3");
    assertThat(rows).extracting(NodeRow::serving).containsExactly(true, false, false);

    NodeRow follower = rows.get(0);
    assertThat(follower.role()).isEqualTo("FOLLOWER");
    assertThat(follower.term()).isEqualTo("4");
    assertThat(follower.commitIndex()).isEqualTo("120");
    assertThat(follower.appliedIndex()).isEqualTo("118");
    // behind the leader's commit index, which this follower has not even heard of yet
    assertThat(follower.lag()).isEqualTo("13");
    assertThat(follower.leader()).isEqualTo("n1");
    assertThat(follower.health()).isEqualTo("ready");
    assertThat(follower.healthy()).isTrue();
    assertThat(follower.lastContact()).isEqualTo("1.5 s ago");

    NodeRow leader = rows.get(1);
    assertThat(leader.role()).isEqualTo("LEADER");
    assertThat(leader.lag()).isEqualTo("0");
    assertThat(leader.leader()).isEqualTo("(it leads)");
    assertThat(leader.lastContact()).isEqualTo("(it leads)");
  }

  @Test
  void aNodeThatDidNotAnswerIsUnreachableAndOneWhoseRaftServerIsDownSaysSo() {
    var down = new NodeStatus("n1", ClusterStatus.DOWN, 0, 0, 0, Optional.empty(), false);
    var lone =
        new NodeStatus("n2", "CANDIDATE", 9, 40, 40, Optional.empty(), false, Optional.empty());
    List<NodeRow> rows = ClusterBacking.rows(List.of(lone, down, NodeStatus.unknown("n3")));

    NodeRow unreachable = rows.get(2);
    assertThat(unreachable.role()).isEqualTo("unknown");
    assertThat(unreachable.health()).isEqualTo("unreachable");
    assertThat(unreachable.healthy()).isFalse();
    assertThat(
            List.of(
                unreachable.term(),
                unreachable.commitIndex(),
                unreachable.appliedIndex(),
                unreachable.lag(),
                unreachable.leader(),
                unreachable.lastContact()))
        .containsOnly("\u2014");

    assertThat(rows.get(1).role()).isEqualTo("DOWN");
    assertThat(rows.get(1).health()).isEqualTo("down (its Raft server is not running)");
    assertThat(rows.get(1).lag()).isEqualTo("\u2014");

    NodeRow candidate = rows.get(0);
    assertThat(candidate.leader()).isEqualTo("none known");
    assertThat(candidate.health()).isEqualTo("not ready (no leader, or catching up)");
    assertThat(candidate.lag()).isEqualTo("0");
  }

  @Test
  void theAiLineSaysWhetherTheModelServerAnswersAndHoldsTheModel() {
    assertThat(ClusterBacking.aiLine(new Health(true, true, "gemma2:2b", "")))
        .isEqualTo("AI assistant: the model server answers this node and holds gemma2:2b.");
    assertThat(ClusterBacking.aiLine(new Health(true, false, "gemma2:2b", "not pulled")))
        .startsWith("AI assistant: the model server answers this node but does not hold gemma2:2b")
        .contains("(not pulled)");
    assertThat(ClusterBacking.aiLine(new Health(false, false, "gemma2:2b", "connection refused")))
        .startsWith("AI assistant: this node cannot reach the model server for gemma2:2b")
        .contains("(connection refused)");
  }
}

package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus.NodeStatus;

class StatusViewTest {

  @Test
  void carriesEveryFieldOfTheNodesStatus() {
    var view =
        StatusView.of(
            new NodeStatus("n2", "FOLLOWER", 4, 120, 118, Optional.of("n1"), true),
            List.of("n1", "n2", "n4"));

    assertThat(view)
        .isEqualTo(
            new StatusView("n2", "FOLLOWER", 4, 120, 118, "n1", true, List.of("n1", "n2", "n4")));
  }

  @Test
  void anUnknownLeaderIsNull() {
    var view =
        StatusView.of(
            new NodeStatus("n1", "CANDIDATE", 2, 0, 0, Optional.empty(), false), List.of("n1"));

    assertThat(view.leaderId()).isNull();
    assertThat(view.ready()).isFalse();
  }
}

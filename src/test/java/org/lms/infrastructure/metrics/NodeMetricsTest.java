package org.lms.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.junit.jupiter.api.Test;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.application.port.LanguageModel.Failure;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;
import org.lms.domain.state.RejectionReason;
import org.lms.testing.SampleCommands;

/** The names, tags and units of the {@code lms_*} metrics, against a recording registry. */
class NodeMetricsTest {

  private final RecordingRegistry recorded = new RecordingRegistry();
  private final NodeMetrics metrics = new NodeMetrics(recorded.registry);

  @Test
  void raftGaugesReadTheStatusAtEachScrape() {
    var status =
        new AtomicReference<>(new NodeStatus("n1", "FOLLOWER", 2, 10, 9, Optional.of("n2"), true));
    metrics.watchRaft(status::get);

    assertThat(recorded.gauge("lms_raft_term")).isEqualTo(2L);
    assertThat(recorded.gauge("lms_raft_commit_index")).isEqualTo(10L);
    assertThat(recorded.gauge("lms_raft_applied_index")).isEqualTo(9L);
    assertThat(recorded.gauge("lms_raft_leader")).isEqualTo(0L);

    status.set(new NodeStatus("n1", "LEADER", 3, 12, 12, Optional.of("n1"), true));
    assertThat(recorded.gauge("lms_raft_term")).isEqualTo(3L);
    assertThat(recorded.gauge("lms_raft_applied_index")).isEqualTo(12L);
    assertThat(recorded.gauge("lms_raft_leader")).isEqualTo(1L);
  }

  @Test
  void leaderChangesAreCounted() {
    metrics.leaderChanged();
    metrics.leaderChanged();

    assertThat(recorded.count("lms_raft_leader_changes")).isEqualTo(2);
  }

  @Test
  void appliedCommandsAreCountedByTypeAndRejectionsByReason() {
    Command command = SampleCommands.oneOfEach().get(0);
    String type = command.getClass().getSimpleName();

    metrics.applied(command, CommandResult.accepted(1));
    metrics.applied(
        command,
        CommandResult.rejected(
            2, new Rejection(RejectionReason.DUPLICATE_COURSE_CODE, "code", "taken")));

    assertThat(recorded.count("lms_commands{type=" + type + "}")).isEqualTo(2);
    assertThat(recorded.count("lms_rejections{reason=DUPLICATE_COURSE_CODE,stage=log}"))
        .isEqualTo(1);
  }

  @Test
  void refusalsBeforeTheLogAreRejectionsOfTheCheckStage() {
    metrics.refused(new Rejection(RejectionReason.DUPLICATE_COURSE_CODE, "code", "taken"));

    assertThat(recorded.count("lms_rejections{reason=DUPLICATE_COURSE_CODE,stage=check}"))
        .isEqualTo(1);
    assertThat(recorded.count("lms_rejections{reason=DUPLICATE_COURSE_CODE,stage=log}")).isZero();
  }

  @Test
  void proposalsAreTimedByTypeInSeconds() {
    metrics.submitted("CreateCourse", Duration.ofMillis(40));
    metrics.submitted("CreateCourse", Duration.ofMillis(60));

    assertThat(recorded.count("lms_command{type=CreateCourse}")).isEqualTo(2);
    assertThat(recorded.timed.get("lms_command{type=CreateCourse}"))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(recorded.units.get("lms_command")).isEqualTo(MetricUnits.SECONDS);
  }

  @Test
  void blobBytesAreCountedByDirection() {
    metrics.stored(1000);
    metrics.stored(24);
    metrics.fetched(7);

    assertThat(recorded.count("lms_blob{direction=stored}")).isEqualTo(1024);
    assertThat(recorded.count("lms_blob{direction=fetched}")).isEqualTo(7);
    assertThat(recorded.units.get("lms_blob")).isEqualTo(MetricUnits.BYTES);
  }

  @Test
  void aiCallsAreCountedAndTimedAndFailuresCountedByKind() {
    metrics.called(Duration.ofSeconds(2), Optional.empty());
    metrics.called(Duration.ofSeconds(1), Optional.of(Failure.TIMED_OUT));

    assertThat(recorded.count("lms_ai_calls")).isEqualTo(2);
    assertThat(recorded.count("lms_ai_call")).isEqualTo(2);
    assertThat(recorded.timed.get("lms_ai_call")).isEqualTo(Duration.ofSeconds(3));
    assertThat(recorded.count("lms_ai_failures{failure=TIMED_OUT}")).isEqualTo(1);
    assertThat(recorded.count("lms_ai_failures{failure=BUSY}")).isZero();
  }
}

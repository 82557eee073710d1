package org.lms.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;
import org.lms.domain.state.RejectionReason;
import org.lms.testing.SampleCommands;

/** Each proposal is timed once by its command type, whether it succeeds or fails. */
class MeteredCommandGatewayTest {

  private final List<String> types = new ArrayList<>();
  private final List<Rejection> refusals = new ArrayList<>();
  private final CommandMetrics metrics =
      new CommandMetrics() {
        @Override
        public void submitted(String type, Duration took) {
          types.add(type);
        }

        @Override
        public void refused(Rejection rejection) {
          refusals.add(rejection);
        }
      };
  private final Command command = SampleCommands.oneOfEach().get(0);

  @Test
  void aProposalIsTimedByItsType() {
    var gateway = new MeteredCommandGateway(gateway(null), metrics);

    assertThat(gateway.submit(command).index()).isEqualTo(7);

    assertThat(types).containsExactly(command.getClass().getSimpleName());
  }

  @Test
  void aFailedProposalIsTimedToo() {
    var unavailable = new CommandGateway.ClusterUnavailableException("no quorum", null);
    var gateway = new MeteredCommandGateway(gateway(unavailable), metrics);

    assertThatThrownBy(() -> gateway.submit(command)).isSameAs(unavailable);

    assertThat(types).containsExactly(command.getClass().getSimpleName());
  }

  @Test
  void aCommandRefusedBeforeTheLogIsCountedUntimed() {
    var gateway = new MeteredCommandGateway(gateway(null), metrics);
    var rejection = new Rejection(RejectionReason.DUPLICATE_COURSE_CODE, "code", "taken");

    gateway.refused(command, rejection);

    assertThat(refusals).containsExactly(rejection);
    assertThat(types).isEmpty();
  }

  @Test
  void readBarriersPassThroughUntimed() {
    var gateway = new MeteredCommandGateway(gateway(null), metrics);

    gateway.linearizableBarrier(Duration.ofSeconds(1));
    gateway.awaitApplied(7, Duration.ofSeconds(1));

    assertThat(gateway.appliedIndex()).isEqualTo(7);
    assertThat(types).isEmpty();
  }

  private static CommandGateway gateway(RuntimeException failure) {
    return new CommandGateway() {
      @Override
      public CommandResult submit(Command command) {
        if (failure != null) {
          throw failure;
        }
        return CommandResult.accepted(7);
      }

      @Override
      public void awaitApplied(long index, Duration timeout) {}

      @Override
      public void linearizableBarrier(Duration timeout) {}

      @Override
      public long appliedIndex() {
        return 7;
      }
    };
  }
}

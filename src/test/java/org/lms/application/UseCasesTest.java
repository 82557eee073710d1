package org.lms.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.testing.Scenario.ADMIN;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.Rejection;
import org.lms.domain.state.RejectionReason;
import org.lms.testing.LocalLog;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

/** A command the node's check refuses is reported to the gateway and never proposed. */
class UseCasesTest {

  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  @Test
  void aCommandRefusedByTheCheckIsToldToTheGatewayAndNotProposed() {
    Scenario s = new Scenario(mongo.newStore()).admin().course("c-1", "CS-101");
    var gateway = new Told(new LocalLog(s));
    var useCases = new UseCases(gateway, s.store(), s.stateMachine(), Clock.systemUTC());
    long before = s.index();

    assertThatThrownBy(
            () ->
                useCases.propose(
                    new CreateCourse("c-2", "CS-101", "Again", List.of(), ADMIN, s.now())))
        .isInstanceOf(RejectedException.class);

    assertThat(gateway.refused)
        .extracting(Rejection::reason)
        .containsExactly(RejectionReason.DUPLICATE_COURSE_CODE);
    assertThat(s.index()).isEqualTo(before);
  }

  /** Passes everything to a {@link LocalLog} and keeps what it was told was refused. */
  private static final class Told implements CommandGateway {
    final List<Rejection> refused = new ArrayList<>();
    private final LocalLog log;

    Told(LocalLog log) {
      this.log = log;
    }

    @Override
    public CommandResult submit(Command command) {
      return log.submit(command);
    }

    @Override
    public void refused(Command command, Rejection rejection) {
      refused.add(rejection);
    }

    @Override
    public void awaitApplied(long index, Duration timeout) {}

    @Override
    public void linearizableBarrier(Duration timeout) {}

    @Override
    public long appliedIndex() {
      return log.appliedIndex();
    }
  }
}

package org.lms.testing;

import java.time.Clock;
import java.time.Duration;
import org.lms.application.UseCases;
import org.lms.application.account.AccountService;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.infrastructure.security.Pbkdf2PasswordHasher;

/**
 * A command gateway without Raft: each command is applied at once, in order, to one {@link
 * Scenario}'s state machine, as if this were the only node and the log committed instantly. For
 * tests of use cases (and of the interface code that calls them) that need no cluster; what Raft
 * adds is tested by the {@code *IT} classes.
 */
public final class LocalLog implements CommandGateway {

  private final Scenario scenario;

  public LocalLog(Scenario scenario) {
    this.scenario = scenario;
  }

  /** The use cases' shared parts over this log, with the system clock. */
  public UseCases useCases() {
    return new UseCases(this, scenario.store(), scenario.stateMachine(), Clock.systemUTC());
  }

  /** Accounts over this log; passwords hashed with few iterations (their cost is not tested). */
  public AccountService accounts() {
    return new AccountService(useCases(), new Pbkdf2PasswordHasher(1_000), Duration.ofHours(1));
  }

  @Override
  public synchronized CommandResult submit(Command command) {
    return scenario.apply(command);
  }

  @Override
  public void awaitApplied(long index, Duration timeout) {
    // applied when submitted
  }

  @Override
  public void linearizableBarrier(Duration timeout) {
    // one node, nothing to catch up with
  }

  @Override
  public long appliedIndex() {
    return scenario.index();
  }
}

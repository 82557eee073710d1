package org.lms.infrastructure.metrics;

import java.time.Duration;
import java.util.Objects;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;

/**
 * A {@link CommandGateway} that times every {@link #submit} on the node that accepted the request,
 * by command type: the Raft round trip plus the wait for this node to apply the entry. Failed
 * proposals are timed too (their time is what the caller waited). Commands this node refused before
 * proposing them are counted by reason. The read barriers pass through.
 */
public final class MeteredCommandGateway implements CommandGateway {

  private final CommandGateway delegate;
  private final CommandMetrics metrics;

  public MeteredCommandGateway(CommandGateway delegate, CommandMetrics metrics) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public CommandResult submit(Command command) {
    long started = System.nanoTime();
    try {
      return delegate.submit(command);
    } finally {
      metrics.submitted(
          command.getClass().getSimpleName(), Duration.ofNanos(System.nanoTime() - started));
    }
  }

  @Override
  public void refused(Command command, Rejection rejection) {
    metrics.refused(rejection);
    delegate.refused(command, rejection);
  }

  @Override
  public void awaitApplied(long index, Duration timeout) {
    delegate.awaitApplied(index, timeout);
  }

  @Override
  public void linearizableBarrier(Duration timeout) {
    delegate.linearizableBarrier(timeout);
  }

  @Override
  public long appliedIndex() {
    return delegate.appliedIndex();
  }
}

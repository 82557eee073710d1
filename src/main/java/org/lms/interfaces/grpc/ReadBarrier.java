package org.lms.interfaces.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.lms.application.port.CommandGateway;
import org.lms.domain.state.Checks;
import org.lms.interfaces.grpc.v1.ReadOptions;

/**
 * Makes a read as fresh as its {@link ReadOptions} ask (DESIGN §5) before the local store is read:
 * read-your-writes by waiting for {@code min_index}, or linearizable through a Raft read index.
 * Waits are bounded by {@link #MAX_WAIT} and by the call's deadline.
 */
final class ReadBarrier {
  /** The longest a read waits for this node to catch up, whatever the deadline. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private final CommandGateway gateway;

  ReadBarrier(CommandGateway gateway) {
    this.gateway = gateway;
  }

  void await(ReadOptions options) {
    long minIndex = options.getMinIndex();
    if (minIndex < 0) {
      throw Checks.invalid("read_options.min_index", "must not be negative");
    }
    switch (options.getConsistency()) {
      case CONSISTENCY_DEFAULT -> {}
      case CONSISTENCY_LINEARIZABLE -> gateway.linearizableBarrier(timeLeft());
      default ->
          throw Checks.invalid(
              "read_options.consistency",
              "must be CONSISTENCY_DEFAULT or CONSISTENCY_LINEARIZABLE");
    }
    if (minIndex > 0 && gateway.appliedIndex() < minIndex) {
      gateway.awaitApplied(minIndex, timeLeft());
    }
  }

  /**
   * To the nanosecond: a wait the deadline bounds then ends only once the deadline has passed, so
   * {@link ErrorMapper} answers DEADLINE_EXCEEDED for it rather than UNAVAILABLE.
   */
  private static Duration timeLeft() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return MAX_WAIT;
    }
    long left = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    return Duration.ofNanos(Math.min(left, MAX_WAIT.toNanos()));
  }
}

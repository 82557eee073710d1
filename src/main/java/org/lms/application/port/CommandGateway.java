package org.lms.application.port;

import java.time.Duration;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;

/**
 * Proposes commands to the replicated log and offers the read barriers of DESIGN §5. Implemented
 * over Apache Ratis; any node may propose, Ratis finds the leader.
 */
public interface CommandGateway {

  /**
   * Proposes {@code command}, waits until it is committed and applied on this node, and returns its
   * log index and, if the state machine refused it, the rejection.
   *
   * @throws ClusterUnavailableException when no quorum answered in time (the command may or may not
   *     have been committed; retrying is safe only for commands whose ids the caller fixed)
   */
  CommandResult submit(Command command);

  /**
   * Told that this node refused {@code command} before proposing it: its check against this node's
   * state found it would be rejected, so it never reached the log. The node's metrics count these
   * beside the log's own rejections; nothing else happens.
   */
  default void refused(Command command, Rejection rejection) {}

  /** Waits until this node has applied at least {@code index} (read-your-writes). */
  void awaitApplied(long index, Duration timeout);

  /**
   * A linearizable read barrier: obtains the leader's commit index through Ratis ReadIndex and
   * waits until this node has applied it, so a local read afterwards sees every acknowledged write.
   */
  void linearizableBarrier(Duration timeout);

  /** The last log index applied to this node's store. */
  long appliedIndex();

  /** No quorum, or this node could not reach one in time. Retryable. */
  final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

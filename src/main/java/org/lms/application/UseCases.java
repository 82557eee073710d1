package org.lms.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.lms.application.port.CommandGateway;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.domain.command.Command;
import org.lms.domain.model.Entity;
import org.lms.domain.state.LmsStateMachine;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.domain.state.StateStore;

/**
 * What every use case shares: the gateway, this node's store and state machine (for reads and the
 * early check), and the clock and id source, which live here and never in the state machine.
 */
public final class UseCases {
  /**
   * Stands in for the hash of a file whose bytes have not arrived yet, so that an upload's command
   * can be checked before the bytes are accepted.
   */
  public static final String PENDING_SHA256 = "0".repeat(64);

  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(3);

  private final CommandGateway gateway;
  private final StateStore store;
  private final LmsStateMachine stateMachine;
  private final Clock clock;

  public UseCases(
      CommandGateway gateway, StateStore store, LmsStateMachine stateMachine, Clock clock) {
    this.gateway = gateway;
    this.store = store;
    this.stateMachine = stateMachine;
    this.clock = clock;
  }

  /** Now, at the millisecond precision the log keeps. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  public String newId() {
    return UUID.randomUUID().toString();
  }

  public StateStore store() {
    return store;
  }

  public CommandGateway gateway() {
    return gateway;
  }

  /**
   * Checks {@code command} against this node's state (a clear error without a round trip), then
   * proposes it; the log's verdict wins. Returns the log index once this node has applied it.
   */
  public long propose(Command command) {
    check(command);
    return gateway.submit(command).orThrow();
  }

  /**
   * Checks without proposing, e.g. before accepting the bytes of an upload. This node may lag
   * behind the leader (a client that wrote through another node, a node just restarted): before a
   * refusal is reported, the node catches up to the leader's commit index once and checks again, so
   * a lagging node never refuses what the cluster would accept.
   */
  public void check(Command command) {
    try {
      try {
        stateMachine.check(command);
      } catch (RejectedException first) {
        if (!catchUp()) {
          throw first;
        }
        stateMachine.check(command);
      }
    } catch (RejectedException refused) {
      gateway.refused(command, refused.rejection());
      throw refused;
    }
  }

  /**
   * Reads {@code type} by id. A record this node does not have yet (it may lag) is looked up again
   * after catching up with the leader before it is reported missing.
   */
  public <T extends Entity> T require(Class<T> type, String id, RejectionReason ifMissing) {
    Optional<T> found = id == null ? Optional.empty() : store.get(type, id);
    if (found.isEmpty() && id != null && catchUp()) {
      found = store.get(type, id);
    }
    return found.orElseThrow(
        () ->
            new RejectedException(
                ifMissing,
                "",
                "no " + type.getSimpleName().toLowerCase() + " " + (id == null ? "" : id)));
  }

  /**
   * A linearizable read barrier: afterwards this node has applied everything the cluster had
   * committed when it was called. Returns false if the cluster could not be reached in time (the
   * caller then answers from what it has).
   */
  public boolean catchUp() {
    try {
      gateway.linearizableBarrier(CATCH_UP_TIMEOUT);
      return true;
    } catch (ClusterUnavailableException e) {
      return false;
    }
  }
}

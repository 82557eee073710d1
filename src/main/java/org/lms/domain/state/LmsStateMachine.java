package org.lms.domain.state;

import java.util.List;
import org.lms.domain.command.Command;

/**
 * Applies committed commands to the node's store: decode happens outside, here a command meets the
 * state at its log position. Deterministic (no clock, random, network or file access) and
 * idempotent by log index: an index at or below the store's applied index changes nothing.
 */
public final class LmsStateMachine {

  private final StateStore store;
  private final CommandHandlers handlers = new CommandHandlers();

  public LmsStateMachine(StateStore store) {
    this.store = store;
  }

  /**
   * Applies the command committed at {@code index}. A refused command is still committed (as a
   * no-op) so that the applied index moves on every node alike.
   */
  public CommandResult apply(long index, Command command) {
    if (index <= store.appliedIndex()) {
      return CommandResult.accepted(index); // already applied before a restart: never twice
    }
    Decision decision = handlers.decide(command, new State(store));
    store.commit(index, decision.changes());
    return decision.rejection() == null
        ? CommandResult.accepted(index)
        : CommandResult.rejected(index, decision.rejection());
  }

  /**
   * Decides {@code command} against the current local state without writing anything: the fast,
   * clear check a use case makes before proposing. The log's verdict may still differ if another
   * command gets there first.
   */
  public void check(Command command) {
    Decision decision = handlers.decide(command, new State(store));
    if (decision.rejection() != null) {
      throw new RejectedException(decision.rejection());
    }
  }

  public long appliedIndex() {
    return store.appliedIndex();
  }

  /** What a handler decided: the writes to make, or why nothing is written. */
  record Decision(List<Change> changes, Rejection rejection) {
    static Decision accept(List<Change> changes) {
      return new Decision(List.copyOf(changes), null);
    }

    static Decision reject(Rejection rejection) {
      return new Decision(List.of(), rejection);
    }
  }
}

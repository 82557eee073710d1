package org.lms.domain.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lms.domain.command.Command;
import org.lms.domain.model.AppliedRequest;

/**
 * Applies committed commands to the node's store: decode happens outside, here a command meets the
 * state at its log position. Deterministic (no clock, random, network or file access) and
 * idempotent by log index: an index at or below the store's applied index changes nothing.
 */
public final class LmsStateMachine {

  /**
   * How many log indexes a request id is remembered for. Retries of one request come within the
   * Raft client's retry budget (seconds), so this is generous at any write rate this system sees.
   */
  static final long REQUEST_WINDOW = 20_000;

  /** Every this many indexes, request ids older than the window are dropped. */
  static final long PRUNE_EVERY = 1_000;

  private final StateStore store;
  private final CommandHandlers handlers = new CommandHandlers();
  private final long requestWindow;
  private final long pruneEvery;

  public LmsStateMachine(StateStore store) {
    this(store, REQUEST_WINDOW, PRUNE_EVERY);
  }

  LmsStateMachine(StateStore store, long requestWindow, long pruneEvery) {
    this.store = store;
    this.requestWindow = requestWindow;
    this.pruneEvery = pruneEvery;
  }

  /**
   * Applies the command committed at {@code index}. A refused command is still committed (as a
   * no-op) so that the applied index moves on every node alike.
   */
  public CommandResult apply(long index, Command command) {
    return apply(index, command, null);
  }

  /**
   * Applies the command committed at {@code index} on behalf of request {@code requestId} (null
   * when it has none). A request already applied within the last {@link #REQUEST_WINDOW} indexes is
   * not applied again: it answers the first application's result (see {@link AppliedRequest}). The
   * decision depends only on the log, so every node makes the same one.
   */
  public CommandResult apply(long index, Command command, String requestId) {
    if (index <= store.appliedIndex()) {
      return CommandResult.accepted(index); // already applied before a restart: never twice
    }
    List<Change> changes = new ArrayList<>();
    CommandResult result;
    Optional<AppliedRequest> seen =
        requestId == null ? Optional.empty() : store.get(AppliedRequest.class, requestId);
    if (seen.isPresent()) {
      result = resultOf(seen.get());
    } else {
      Decision decision = handlers.decide(command, new State(store));
      changes.addAll(decision.changes());
      result =
          decision.rejection() == null
              ? CommandResult.accepted(index)
              : CommandResult.rejected(index, decision.rejection());
      if (requestId != null) {
        changes.add(new Change.Put(record(requestId, result)));
      }
    }
    if (index % pruneEvery == 0) {
      for (AppliedRequest old :
          store.find(AppliedRequest.class, Criterion.atMost("index", index - requestWindow))) {
        changes.add(new Change.Delete(AppliedRequest.class, old.id()));
      }
    }
    store.commit(index, changes);
    return result;
  }

  private static AppliedRequest record(String requestId, CommandResult result) {
    Optional<Rejection> r = result.rejection();
    return new AppliedRequest(
        requestId,
        result.index(),
        r.map(x -> x.reason().name()).orElse(""),
        r.map(Rejection::field).orElse(""),
        r.map(Rejection::message).orElse(""));
  }

  private static CommandResult resultOf(AppliedRequest applied) {
    return applied.rejectionReason().isEmpty()
        ? CommandResult.accepted(applied.index())
        : CommandResult.rejected(
            applied.index(),
            new Rejection(
                RejectionReason.valueOf(applied.rejectionReason()),
                applied.rejectionField(),
                applied.rejectionMessage()));
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

package org.lms.domain.state;

import java.util.List;
import java.util.Optional;
import org.lms.domain.model.Entity;

/**
 * The state machine's only way to the node's data. Implemented over MongoDB; every node has its own
 * database.
 */
public interface StateStore {

  <T extends Entity> Optional<T> get(Class<T> type, String id);

  /** All records of {@code type} matching every criterion, in id order. */
  <T extends Entity> List<T> find(Class<T> type, Criterion... criteria);

  /** The number of records of {@code type} matching every criterion. */
  <T extends Entity> long count(Class<T> type, Criterion... criteria);

  /** The log index of the last command whose changes are fully stored; 0 for a new store. */
  long appliedIndex();

  /**
   * Stores {@code changes} and marks {@code index} applied. Must be crash-safe: after a crash
   * either nothing of it is visible and {@link #appliedIndex()} is below {@code index}, or all of
   * it is (implementations may finish an interrupted commit when they open).
   */
  void commit(long index, List<Change> changes);
}

package org.lms.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.lms.domain.state.Change;
import org.lms.domain.state.Criterion;
import org.lms.domain.model.Entity;
import org.lms.domain.state.StateStore;

/**
 * A state store that counts its {@link #get} calls and the time spent in them, so a benchmark can
 * tell how much of a search is the store check behind it rather than the index.
 */
final class TimedStore implements StateStore {
  private final StateStore store;
  private final LongAdder gets = new LongAdder();
  private final LongAdder getNanos = new LongAdder();

  TimedStore(StateStore store) {
    this.store = store;
  }

  /** Calls of {@link #get} so far. */
  long gets() {
    return gets.sum();
  }

  /** Time spent in {@link #get} so far, summed over threads. */
  long getNanos() {
    return getNanos.sum();
  }

  @Override
  public <T extends Entity> Optional<T> get(Class<T> type, String id) {
    long t0 = System.nanoTime();
    try {
      return store.get(type, id);
    } finally {
      getNanos.add(System.nanoTime() - t0);
      gets.increment();
    }
  }

  @Override
  public <T extends Entity> List<T> find(Class<T> type, Criterion... criteria) {
    return store.find(type, criteria);
  }

  @Override
  public <T extends Entity> long count(Class<T> type, Criterion... criteria) {
    return store.count(type, criteria);
  }

  @Override
  public long appliedIndex() {
    return store.appliedIndex();
  }

  @Override
  public void commit(long index, List<Change> changes) {
    store.commit(index, changes);
  }
}

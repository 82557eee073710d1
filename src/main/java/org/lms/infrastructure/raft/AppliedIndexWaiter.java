package org.lms.infrastructure.raft;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The highest log index this node has applied, and a way to wait for it to reach a given index
 * without polling: the apply thread signals every waiter when the index moves.
 */
final class AppliedIndexWaiter {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private volatile long applied;

  long applied() {
    return applied;
  }

  /** Moves the applied index up to {@code index}; never down. */
  void advanceTo(long index) {
    if (index <= applied) {
      return;
    }
    lock.lock();
    try {
      if (index > applied) {
        applied = index;
        advanced.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code index} is applied or {@code timeout} passes.
   *
   * @return whether {@code index} was reached
   */
  boolean awaitApplied(long index, Duration timeout) throws InterruptedException {
    if (applied >= index) {
      return true;
    }
    long remaining = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (applied < index) {
        if (remaining <= 0) {
          return false;
        }
        remaining = advanced.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}

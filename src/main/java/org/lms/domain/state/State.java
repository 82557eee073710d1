package org.lms.domain.state;

/** Typed reads over the store for handlers. */
final class State {
  private final StateStore store;

  State(StateStore store) {
    this.store = store;
  }

  StateStore store() {
    return store;
  }
}

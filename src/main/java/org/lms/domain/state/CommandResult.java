package org.lms.domain.state;

import java.util.Optional;

/** The outcome of a committed command: its log index, and why it was refused if it was. */
public record CommandResult(long index, Optional<Rejection> rejection) {

  public static CommandResult accepted(long index) {
    return new CommandResult(index, Optional.empty());
  }

  public static CommandResult rejected(long index, Rejection rejection) {
    return new CommandResult(index, Optional.of(rejection));
  }

  public boolean isAccepted() {
    return rejection.isEmpty();
  }

  /** Returns the index, or throws the rejection as a {@link RejectedException}. */
  public long orThrow() {
    rejection.ifPresent(
        r -> {
          throw new RejectedException(r);
        });
    return index;
  }
}

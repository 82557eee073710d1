package org.lms.domain.state;

/**
 * Thrown by handlers (and by use cases) when a rule is broken; the state machine turns it into a
 * committed no-op, the interfaces into their own error form.
 */
public final class RejectedException extends RuntimeException {
  private final transient Rejection rejection;

  public RejectedException(Rejection rejection) {
    super(rejection.toString(), null, false, false);
    this.rejection = rejection;
  }

  public RejectedException(RejectionReason reason, String field, String message) {
    this(new Rejection(reason, field, message));
  }

  public Rejection rejection() {
    return rejection;
  }
}

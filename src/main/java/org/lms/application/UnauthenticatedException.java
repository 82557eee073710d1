package org.lms.application;

/** No valid session: missing, unknown or expired token, or a disabled account. */
public final class UnauthenticatedException extends RuntimeException {
  public UnauthenticatedException(String message) {
    super(message, null, false, false);
  }
}

package org.lms.domain.state;

/** The family of a rejection, which each interface maps once to its own error form. */
public enum RejectionKind {
  INVALID_ARGUMENT,
  NOT_FOUND,
  ALREADY_EXISTS,
  PERMISSION_DENIED,
  FAILED_PRECONDITION
}

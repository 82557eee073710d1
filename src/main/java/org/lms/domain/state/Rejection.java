package org.lms.domain.state;

/**
 * Why the state machine refused a command. A rejected command is committed as a no-op: it changes
 * nothing on any node.
 *
 * @param field the input field at fault, or empty when the rule is not about one field
 */
public record Rejection(RejectionReason reason, String field, String message) {

  public Rejection {
    field = field == null ? "" : field;
  }

  public RejectionKind kind() {
    return reason.kind();
  }

  @Override
  public String toString() {
    return reason + (field.isEmpty() ? "" : " (" + field + ")") + ": " + message;
  }
}

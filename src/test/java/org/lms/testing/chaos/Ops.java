package org.lms.testing.chaos;

import static org.lms.testing.chaos.Operation.Status.FAIL;
import static org.lms.testing.chaos.Operation.Status.OK;
import static org.lms.testing.chaos.Operation.Status.UNKNOWN;

/** Short builders for hand-made histories on key {@code x} (times in arbitrary units). */
final class Ops {
  static final String X = "x";

  private Ops() {}

  static Operation write(String client, String value, long invoke, long ret) {
    return Operation.write(client, X, value, invoke, ret, OK);
  }

  static Operation unknownWrite(String client, String value, long invoke, long ret) {
    return Operation.write(client, X, value, invoke, ret, UNKNOWN);
  }

  static Operation failedWrite(String client, String value, long invoke, long ret) {
    return Operation.write(client, X, value, invoke, ret, FAIL);
  }

  static Operation read(String client, String value, long invoke, long ret) {
    return Operation.read(client, X, value, invoke, ret, OK);
  }

  static Operation unknownRead(String client, String value, long invoke, long ret) {
    return Operation.read(client, X, value, invoke, ret, UNKNOWN);
  }

  static History history(Operation... ops) {
    return History.of(java.util.List.of(ops));
  }
}

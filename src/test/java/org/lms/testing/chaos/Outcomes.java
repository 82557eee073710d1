package org.lms.testing.chaos;

import io.grpc.Status.Code;
import java.util.Set;
import org.lms.testing.chaos.Operation.Kind;
import org.lms.testing.chaos.Operation.Status;

/**
 * How a gRPC status code becomes an operation's {@link Status}. A write is {@code FAIL} only when
 * the node guarantees it had no effect; when in doubt it is {@code UNKNOWN}, because a wrong {@code
 * FAIL} makes the checker report violations that are not there, while a wrong {@code UNKNOWN} only
 * costs the checker a branch it can drop.
 */
public final class Outcomes {

  /**
   * Codes after which a write certainly did not take effect. Each is answered before the command is
   * proposed (the bearer-token interceptor: UNAUTHENTICATED; request parsing: INVALID_ARGUMENT;
   * {@code UseCases.check} against the node's state: the rejection codes) or by the state machine
   * refusing the log entry, which then changes nothing. OUT_OF_RANGE is never sent by the server;
   * like INVALID_ARGUMENT it would describe the request. A Ratis-level retry of a proposal that was
   * already applied is answered from the retry cache, and should it ever be applied a second time,
   * none of these codes can follow from that first application for the workload's two writes
   * (UpdateAssignment applied twice succeeds twice; ALREADY_EXISTS only concerns creates).
   */
  private static final Set<Code> NO_EFFECT =
      Set.of(
          Code.INVALID_ARGUMENT,
          Code.PERMISSION_DENIED,
          Code.NOT_FOUND,
          Code.ALREADY_EXISTS,
          Code.UNAUTHENTICATED,
          Code.OUT_OF_RANGE);

  private Outcomes() {}

  /**
   * The status of an operation of {@code kind} that ended with {@code code}.
   *
   * <p>FAILED_PRECONDITION is {@code UNKNOWN} for a write although the log entry that earned it
   * changed nothing: GradeSubmission is a compare-and-set on the grade's version, and the node's
   * Raft client retries a proposal (same client and call id) after a timeout or a leader change.
   * The retry cache answers such a retry with the first result, but it is kept in memory only for
   * entries applied since the node's last snapshot load and for 60 s; a retry that misses it (the
   * new leader received the first entry inside a snapshot, or restarted since) is appended and
   * applied again, and that second application is refused with STALE_GRADE_VERSION precisely
   * because the first one took effect. The client then sees FAILED_PRECONDITION for a write that
   * happened.
   *
   * <p>For a read every code but OK is ignored by the checker; the refusals are {@code FAIL} there
   * (the node answered, it was not unavailable) and everything else {@code UNKNOWN}.
   */
  public static Status of(Code code, Kind kind) {
    if (code == Code.OK) {
      return Status.OK;
    }
    if (NO_EFFECT.contains(code)) {
      return Status.FAIL;
    }
    if (code == Code.FAILED_PRECONDITION) {
      return kind == Kind.READ ? Status.FAIL : Status.UNKNOWN;
    }
    // DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED, INTERNAL, UNKNOWN, ABORTED, RESOURCE_EXHAUSTED,
    // DATA_LOSS, UNIMPLEMENTED and transport errors: the call may have reached the leader
    return Status.UNKNOWN;
  }
}

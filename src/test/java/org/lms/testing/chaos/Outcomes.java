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
   * like INVALID_ARGUMENT it would describe the request.
   *
   * <p>FAILED_PRECONDITION is among them: for the workload it is GradeSubmission's compare-and-set
   * refused because the grade's version moved on. The node's Raft client retries a proposal under
   * the same client and call id after a timeout or a leader change, and a retry that misses the
   * leader's retry cache is committed a second time; but the state machine applies a request id
   * once and answers a second copy with the first result ({@code AppliedRequest}), so a refusal
   * always belongs to an attempt that changed nothing. Before that was so, a retried copy could be
   * refused because its first copy had taken effect, and this code had to count as unknown; as fail
   * it holds the deduplication to account (a wrongly refused write would show as a lost
   * acknowledged value or a phantom read).
   */
  private static final Set<Code> NO_EFFECT =
      Set.of(
          Code.INVALID_ARGUMENT,
          Code.PERMISSION_DENIED,
          Code.NOT_FOUND,
          Code.ALREADY_EXISTS,
          Code.FAILED_PRECONDITION,
          Code.UNAUTHENTICATED,
          Code.OUT_OF_RANGE);

  private Outcomes() {}

  /**
   * The status of an operation of {@code kind} that ended with {@code code}. For a read every code
   * but OK is ignored by the checker; the refusals are {@code FAIL} there too (the node answered,
   * it was not unavailable) and everything else {@code UNKNOWN}.
   */
  public static Status of(Code code, Kind kind) {
    if (code == Code.OK) {
      return Status.OK;
    }
    if (NO_EFFECT.contains(code)) {
      return Status.FAIL;
    }
    // DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED, INTERNAL, UNKNOWN, ABORTED, RESOURCE_EXHAUSTED,
    // DATA_LOSS, UNIMPLEMENTED and transport errors: the call may have reached the leader
    return Status.UNKNOWN;
  }
}

package org.lms.application.port;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the members of the Raft group are, and the one change an operator makes to them: a dead
 * member replaced by a new, empty node, which catches up from the others while the cluster keeps
 * serving (docs/operations.md, "Replacing a node").
 */
public interface ClusterMembership {

  /**
   * One member of the group.
   *
   * @param id its node id, such as {@code n4}
   * @param raftAddress the {@code host:port} of its Raft server
   * @param grpcAddress the {@code host:port} of its gRPC server, if this node knows it
   */
  record Member(String id, String raftAddress, Optional<String> grpcAddress) {}

  /** The members of the replicated Raft configuration now, in id order. */
  List<Member> members();

  /**
   * Replaces the dead member {@code deadId} by the new node {@code newId}, whose Raft server runs
   * on {@code newRaftAddress} and waits to be added. Returns once the new configuration is
   * committed (the new node is a voting member and has nearly caught up); does nothing when the
   * change is already done.
   *
   * @throws ChangeRefused saying why nothing was changed
   */
  Replacement replace(String deadId, String newId, String newRaftAddress);

  /**
   * What a replacement left behind.
   *
   * @param members the members afterwards
   * @param commitIndex this node's commit index once the change was committed: the index the new
   *     member has applied when it has caught up
   * @param alreadyDone whether the group had the new member instead of the dead one already
   */
  record Replacement(List<Member> members, long commitIndex, boolean alreadyDone) {}

  /** A membership change that was not made, with the reason in one line. */
  final class ChangeRefused extends RuntimeException {

    /** Why, in the terms an interface maps to its own (an HTTP status). */
    public enum Reason {
      /** The request itself is malformed: an id or address that cannot be. */
      BAD_REQUEST,
      /** The node to replace is not a member. */
      UNKNOWN_MEMBER,
      /**
       * The group's state forbids it: the node to replace still answers, the new id or address is
       * taken, or another change is under way.
       */
      CONFLICT,
      /** The cluster cannot make the change now: no ready majority, the new node does not run. */
      UNAVAILABLE
    }

    private final Reason reason;

    public ChangeRefused(Reason reason, String message) {
      super(message);
      this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ChangeRefused(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
      return reason;
    }
  }
}

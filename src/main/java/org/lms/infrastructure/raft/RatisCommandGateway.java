package org.lms.infrastructure.raft;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.lms.application.port.CommandGateway;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;

/**
 * Proposes commands through this node's Ratis client (any node may propose; the client finds the
 * leader and retries through an election) and offers the read barriers over this node's applied
 * index. Every Ratis failure becomes a {@link ClusterUnavailableException} saying what happened.
 */
public final class RatisCommandGateway implements CommandGateway {

  private final RaftClient client;
  private final RaftPeerId localPeer;
  private final AppliedIndexWaiter applied;
  private final Duration applyWait;
  private final Duration retryBudget;

  RatisCommandGateway(
      RaftClient client,
      RaftPeerId localPeer,
      AppliedIndexWaiter applied,
      Duration applyWait,
      Duration retryBudget) {
    this.client = Objects.requireNonNull(client, "client");
    this.localPeer = Objects.requireNonNull(localPeer, "localPeer");
    this.applied = Objects.requireNonNull(applied, "applied");
    this.applyWait = applyWait;
    this.retryBudget = retryBudget;
  }

  @Override
  public CommandResult submit(Command command) {
    String what = command.getClass().getSimpleName();
    Message proposal = Message.valueOf(UnsafeByteOperations.unsafeWrap(LogCodec.encode(command)));
    RaftClientReply reply;
    try {
      reply = client.io().send(proposal);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new ClusterUnavailableException("interrupted while proposing " + what, e);
    } catch (IOException e) {
      throw unavailable("proposing " + what, e);
    }
    if (!reply.isSuccess()) {
      throw unavailable("proposing " + what, reply.getException());
    }
    CommandResult result = LogCodec.decodeResult(reply.getMessage().getContent().toByteArray());
    awaitApplied(result.index(), applyWait);
    return result;
  }

  @Override
  public void awaitApplied(long index, Duration timeout) {
    boolean reached;
    try {
      reached = applied.awaitApplied(index, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterUnavailableException("interrupted while waiting for index " + index, e);
    }
    if (!reached) {
      throw new ClusterUnavailableException(
          "this node has applied the log up to index "
              + applied.applied()
              + " and did not reach index "
              + index
              + " within "
              + timeout.toMillis()
              + " ms",
          null);
    }
  }

  /**
   * Asks this node's own Raft server for a read index (it confirms with the leader that the leader
   * still leads, no lease) and waits until this node has applied it.
   */
  @Override
  public void linearizableBarrier(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<RaftClientReply> pending =
        client
            .async()
            .sendReadOnlyUnordered(
                Message.valueOf(LmsRatisStateMachine.APPLIED_INDEX_QUERY), localPeer);
    RaftClientReply reply;
    try {
      reply = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      pending.cancel(false);
      Thread.currentThread().interrupt();
      throw new ClusterUnavailableException("interrupted while waiting for a read index", e);
    } catch (TimeoutException e) {
      pending.cancel(false);
      throw new ClusterUnavailableException(
          "no read index from the Raft leader within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw unavailable("obtaining a read index", e.getCause());
    }
    if (!reply.isSuccess()) {
      throw unavailable("obtaining a read index", reply.getException());
    }
    long readIndex = LmsRatisStateMachine.decodeIndex(reply.getMessage().getContent());
    awaitApplied(readIndex, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  @Override
  public long appliedIndex() {
    return applied.applied();
  }

  /** Says in the LMS's words what a Ratis failure means for the caller. */
  private ClusterUnavailableException unavailable(String doing, Throwable cause) {
    String why;
    if (cause instanceof RaftRetryFailureException) {
      why =
          "no Raft leader accepted it within "
              + retryBudget.toSeconds()
              + " s (no quorum, or an election that did not end)";
    } else if (cause instanceof NotLeaderException || cause instanceof LeaderNotReadyException) {
      why = "no Raft leader is known yet";
    } else if (cause instanceof LeaderSteppingDownException) {
      why = "the Raft leader is stepping down";
    } else if (cause instanceof TimeoutIOException) {
      why = "the Raft cluster did not answer in time";
    } else if (cause instanceof ServerNotReadyException) {
      why = "the Raft server contacted is still starting";
    } else if (cause instanceof AlreadyClosedException) {
      why = "the Raft client or server contacted is shutting down";
    } else if (cause instanceof ReadIndexException || cause instanceof ReadException) {
      why = "this node could not obtain a read index from the Raft leader";
    } else if (cause instanceof StateMachineException) {
      why = "the leader's state machine failed: " + cause.getMessage();
    } else {
      why = String.valueOf(cause);
    }
    return new ClusterUnavailableException(
        "cluster unavailable while " + doing + ": " + why, cause);
  }
}

package org.lms.interfaces.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.lms.testing.ClusterChannels;

/**
 * A client of the whole cluster that carries on when the node it talks to fails. A call that ends
 * UNAVAILABLE or DEADLINE_EXCEEDED (what a killed node, a refused connection or a cluster between
 * two leaders look like) is sent again, unchanged, to the next node, pausing briefly after every
 * round of nodes, until the call's budget is spent; the caller sees only the final answer.
 *
 * <p>Whether sending a request twice is safe is the caller's business: reads are, and so are
 * idempotent writes such as Enrol. A create is not (its first attempt may have been committed
 * before the node died), so {@link #create} treats ALREADY_EXISTS after a retry as "my first
 * attempt got through" and looks the record up instead.
 */
final class FailoverClient {
  /** The codes after which the same request goes to the next node. */
  static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  /** One attempt that failed and was retried elsewhere. */
  record FailedAttempt(String what, int node, Status.Code code, String description) {}

  private final List<Channel> nodes = new ArrayList<>();
  private final Duration attemptDeadline;
  private final Duration budget;
  private final List<FailedAttempt> failed = new ArrayList<>();
  private int current;

  /**
   * @param channels one channel per node, in node order
   * @param firstNode the node (1-based) to talk to first
   * @param token the bearer token every call carries
   * @param attemptDeadline the deadline of each attempt
   * @param budget how long one call may take over all its attempts
   */
  FailoverClient(
      List<? extends Channel> channels,
      int firstNode,
      String token,
      Duration attemptDeadline,
      Duration budget) {
    ClientInterceptor auth = ClusterChannels.bearer(token);
    ClientInterceptor deadline = new AttemptDeadline(attemptDeadline);
    for (Channel channel : channels) {
      nodes.add(ClientInterceptors.intercept(channel, auth, deadline));
    }
    this.current = firstNode - 1;
    this.attemptDeadline = attemptDeadline;
    this.budget = budget;
  }

  /** The node (1-based) the next call goes to first. */
  synchronized int currentNode() {
    return current + 1;
  }

  /** Every attempt that failed and was retried, oldest first. */
  synchronized List<FailedAttempt> failedAttempts() {
    return List.copyOf(failed);
  }

  /**
   * Runs {@code rpc} (a read or an idempotent write) on the current node, and again on the next
   * ones while it fails with a {@link #RETRYABLE} code.
   *
   * @throws StatusRuntimeException the first non-retryable failure, or the last retryable one once
   *     the budget is spent
   */
  <T> T call(String what, Function<Channel, T> rpc) {
    return attempt(what, rpc, null);
  }

  /**
   * Runs a create like {@link #call}; if a retry answers ALREADY_EXISTS, the record is the one an
   * earlier attempt created, and {@code lookup} (a read, retried the same way) finds it.
   */
  <T> T create(String what, Function<Channel, T> rpc, Function<Channel, T> lookup) {
    return attempt(what, rpc, lookup);
  }

  private <T> T attempt(String what, Function<Channel, T> rpc, Function<Channel, T> lookup) {
    long deadline = System.nanoTime() + budget.toNanos();
    int triedThisRound = 0;
    boolean retried = false;
    while (true) {
      Channel channel;
      int node;
      synchronized (this) {
        node = current;
        channel = nodes.get(node);
      }
      try {
        return rpc.apply(channel);
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.ALREADY_EXISTS && retried && lookup != null) {
          return call(what + " (lookup after a retried create)", lookup);
        }
        if (!RETRYABLE.contains(code) || System.nanoTime() > deadline) {
          throw e;
        }
        synchronized (this) {
          failed.add(new FailedAttempt(what, node + 1, code, e.getStatus().getDescription()));
          if (current == node) {
            current = (node + 1) % nodes.size();
          }
        }
        retried = true;
        if (++triedThisRound >= nodes.size()) {
          // every node failed once: give the cluster a moment (an election, a restart)
          triedThisRound = 0;
          pause(Math.min(250, attemptDeadline.toMillis()));
        }
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  /** Gives every call without a deadline of its own the attempt deadline. */
  private record AttemptDeadline(Duration deadline) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      CallOptions withDeadline =
          options.getDeadline() == null
              ? options.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              : options;
      return next.newCall(method, withDeadline);
    }
  }
}

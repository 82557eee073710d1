package org.lms.infrastructure.raft;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts this node's Raft division (its member of the group, not the process) when Ratis 3.3.0
 * left it unable to take part: closed after an internal failure, or a follower whose election timer
 * is stuck. Both were found by the fault-injection suite (docs/chaos.md, ADR 0006).
 *
 * <p><b>Dead division.</b> Ratis closes a division when its log worker or state machine updater
 * fails, e.g. when a snapshot installation clears the log worker's queue under appends already
 * accepted ("lastWrittenIndex == 9771, entry == 9869"). The node then serves HTTP and gRPC but is
 * out of the group (role DOWN) until restarted.
 *
 * <p><b>Stuck follower.</b> A follower counts the appends it is handling and does not stand for
 * election while the count is above zero. When an append fails synchronously (an entry that a
 * just-installed snapshot already covers fails the log's index check) the count never comes down.
 * Such a follower still replicates and votes, so nothing shows until the leader dies: if it holds
 * the longest log, the other follower cannot win and this one never tries, and the cluster has no
 * leader until the dead node returns. Visible through Ratis's public role information: a follower
 * with an append still counted although no leader has contacted it for many election timeouts
 * (heartbeats come every fraction of a timeout, an append takes milliseconds).
 *
 * <p>The cure for both is what an operator would do: the division is removed and added again on its
 * own storage, which recovers its log and snapshot and starts it afresh.
 */
final class DivisionWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DivisionWatchdog.class);

  /** The number of looks in a row, a period apart, that must agree before a restart. */
  static final int CONFIRMATIONS = 2;

  /** What one look at the division tells. */
  record Observation(
      boolean alive, RaftPeerRole role, int outstandingAppends, long sinceLeaderMillis) {

    static Observation dead() {
      return new Observation(false, null, 0, 0);
    }

    static Observation of(RoleInfoProto info) {
      if (info.getRole() != RaftPeerRole.FOLLOWER || !info.hasFollowerInfo()) {
        return new Observation(true, info.getRole(), 0, 0);
      }
      var follower = info.getFollowerInfo();
      return new Observation(
          true,
          RaftPeerRole.FOLLOWER,
          follower.getOutstandingOp(),
          follower.getLeaderInfo().getLastRpcElapsedTimeMs());
    }
  }

  /**
   * Decides from successive observations; not thread-safe (the watchdog's one thread calls it). A
   * fault must be seen {@link #CONFIRMATIONS} times in a row, a period apart: a node just resumed
   * from a pause (its append finishing, its leader's heartbeat on the way) is not restarted. After
   * a restart the next one waits at least {@code cooldown}, so a division that dies again at once
   * (a failure that recurs on every start) is not restarted in a tight loop.
   */
  static final class Judge {
    private final long silenceMillis;
    private final long cooldownNanos;
    private int inARow;
    private long lastRestartNanos = Long.MIN_VALUE;

    Judge(Duration silence, Duration cooldown) {
      this.silenceMillis = silence.toMillis();
      this.cooldownNanos = cooldown.toNanos();
    }

    /** Why the division must be restarted now, or null. */
    String verdict(Observation o, long nowNanos) {
      String fault = fault(o);
      inARow = fault == null ? 0 : inARow + 1;
      if (inARow < CONFIRMATIONS) {
        return null;
      }
      if (lastRestartNanos != Long.MIN_VALUE && nowNanos - lastRestartNanos < cooldownNanos) {
        return null;
      }
      inARow = 0;
      lastRestartNanos = nowNanos;
      return fault;
    }

    private String fault(Observation o) {
      if (!o.alive()) {
        return "Ratis closed the division after an internal failure (see the log above)";
      }
      if (o.role() == RaftPeerRole.FOLLOWER
          && o.outstandingAppends() > 0
          && o.sinceLeaderMillis() >= silenceMillis) {
        return "follower with "
            + o.outstandingAppends()
            + " append(s) counted as outstanding and no leader contact for "
            + o.sinceLeaderMillis()
            + " ms: its election timer is stuck";
      }
      return null;
    }
  }

  /** What the watchdog needs of its node. */
  interface Division {
    /** One look at the division, or null while there is none to look at. */
    Observation observe() throws Exception;

    /** Removes the division and adds it again on its storage. */
    void restart(String reason) throws Exception;
  }

  private final Division division;
  private final Judge judge;
  private final ScheduledExecutorService timer;

  /**
   * Looks every {@code period}; a follower is stuck after {@code silence} without leader contact
   * while an append stays counted; restarts are at least {@code cooldown} apart.
   */
  DivisionWatchdog(
      String nodeId, Division division, Duration period, Duration silence, Duration cooldown) {
    this.division = Objects.requireNonNull(division, "division");
    this.judge = new Judge(silence, cooldown);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "raft-watchdog-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    long millis = period.toMillis();
    timer.scheduleWithFixedDelay(this::look, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * The production periods: a look every election-timeout maximum, a follower stuck after four of
   * them, restarts at least a minute apart.
   */
  static DivisionWatchdog start(String nodeId, Division division, Duration electionTimeoutMax) {
    return new DivisionWatchdog(
        nodeId,
        division,
        electionTimeoutMax,
        electionTimeoutMax.multipliedBy(4),
        Duration.ofMinutes(1));
  }

  private void look() {
    try {
      Observation o = division.observe();
      if (o == null) {
        return;
      }
      String reason = judge.verdict(o, System.nanoTime());
      if (reason != null) {
        LOG.warn("Restarting the Raft division: {}", reason);
        division.restart(reason);
      }
    } catch (Exception | LinkageError e) {
      // the next look tries again; a watchdog that dies silently would be worse
      LOG.warn("The Raft watchdog's check failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

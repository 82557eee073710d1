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
 * Restarts this node's Raft division when its follower election timer is stuck, working around a
 * bug in Ratis 3.3.0 that the fault-injection suite found (docs/chaos.md, ADR 0006).
 *
 * <p>A Ratis follower counts the appends it is handling ({@code FollowerState.outstandingOp}) and
 * does not stand for election while the count is above zero. When an append fails synchronously (an
 * entry that a just-installed snapshot already covers fails the log's index check), the count goes
 * up and never down. Such a follower still replicates and votes, so nothing shows until the leader
 * dies: if this follower holds the longest log, the other follower cannot win (its log is behind)
 * and this one never tries, and the cluster has no leader until the dead node returns.
 *
 * <p>The symptom is visible through Ratis's public role information: a follower with an append
 * still counted although no leader has contacted it for many election timeouts. Heartbeats reach a
 * live leader's followers every fraction of an election timeout, and an append takes milliseconds,
 * so a healthy follower never shows it for long. The cure is what an operator would do, restarting
 * the Raft member (not the process): the division is removed and added again on its own storage,
 * which starts a fresh follower with a fresh count; it then times out and stands for election.
 */
final class StuckFollowerWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StuckFollowerWatchdog.class);

  /** How often the role is looked at and the number of looks in a row that must agree. */
  static final int CONFIRMATIONS = 2;

  /** What one look at the division tells. */
  record Observation(RaftPeerRole role, int outstandingAppends, long sinceLeaderMillis) {

    static Observation of(RoleInfoProto info) {
      if (info.getRole() != RaftPeerRole.FOLLOWER || !info.hasFollowerInfo()) {
        return new Observation(info.getRole(), 0, 0);
      }
      var follower = info.getFollowerInfo();
      return new Observation(
          RaftPeerRole.FOLLOWER,
          follower.getOutstandingOp(),
          follower.getLeaderInfo().getLastRpcElapsedTimeMs());
    }
  }

  /**
   * Decides from successive observations; not thread-safe (the watchdog's one thread calls it).
   * Stuck means: a follower with an outstanding append and no leader contact for {@code silence},
   * seen {@link #CONFIRMATIONS} times in a row. Requiring it twice, a check period apart, keeps a
   * node that was just resumed from a pause (its append finishing, its leader's heartbeat on the
   * way) from being restarted.
   */
  static final class Judge {
    private final long silenceMillis;
    private int inARow;

    Judge(Duration silence) {
      this.silenceMillis = silence.toMillis();
    }

    boolean stuck(Observation o) {
      boolean looksStuck =
          o.role() == RaftPeerRole.FOLLOWER
              && o.outstandingAppends() > 0
              && o.sinceLeaderMillis() >= silenceMillis;
      inARow = looksStuck ? inARow + 1 : 0;
      if (inARow >= CONFIRMATIONS) {
        inARow = 0;
        return true;
      }
      return false;
    }
  }

  /** What the watchdog needs of its node. */
  interface Division {
    /** The division's role information, or null while it is not running. */
    RoleInfoProto roleInfo() throws Exception;

    /** Removes the division and adds it again on its storage. */
    void restart(String reason) throws Exception;
  }

  private final Division division;
  private final Judge judge;
  private final ScheduledExecutorService timer;

  /**
   * Looks every {@code period}; a follower is restarted after {@code silence} without leader
   * contact while an append stays counted, confirmed once more a period later.
   */
  StuckFollowerWatchdog(String nodeId, Division division, Duration period, Duration silence) {
    this.division = Objects.requireNonNull(division, "division");
    this.judge = new Judge(silence);
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

  /** The production periods: look every election timeout maximum, act after four of them. */
  static StuckFollowerWatchdog start(
      String nodeId, Division division, Duration electionTimeoutMax) {
    return new StuckFollowerWatchdog(
        nodeId, division, electionTimeoutMax, electionTimeoutMax.multipliedBy(4));
  }

  private void look() {
    try {
      RoleInfoProto info = division.roleInfo();
      if (info == null) {
        return;
      }
      Observation o = Observation.of(info);
      if (judge.stuck(o)) {
        String reason =
            "follower with "
                + o.outstandingAppends()
                + " append(s) counted as outstanding and no leader contact for "
                + o.sinceLeaderMillis()
                + " ms: its election timer is stuck (Ratis 3.3.0)";
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

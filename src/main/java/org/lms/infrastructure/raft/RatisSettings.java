package org.lms.infrastructure.raft;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.lms.infrastructure.config.NodeConfig;

/**
 * Every Ratis setting this project chooses, in one place, each with the reason it differs from
 * Ratis's default (see docs/adr/0001-ratis.md and PITFALLS.md). Election timeouts and the snapshot
 * threshold and the log segment size come from {@link NodeConfig}; the rest has production defaults
 * that tests may shrink.
 *
 * @param groupId the Raft group's id; every node of one cluster must use the same
 * @param clientRequestTimeout how long one client attempt waits for a server before trying again
 * @param clientRetryBudget how long a proposal or read barrier keeps retrying in total before the
 *     gateway reports the cluster unavailable
 * @param applyWait how long {@code submit} waits for this node to apply a committed command
 * @param snapshotsRetained how many snapshot files a node keeps
 * @param peerStatusTimeout how long a node waits for a peer to describe itself ({@link
 *     RatisClusterStatus#group()}) before it shows the peer as unknown
 */
public record RatisSettings(
    UUID groupId,
    Duration clientRequestTimeout,
    Duration clientRetryBudget,
    Duration applyWait,
    int snapshotsRetained,
    Duration peerStatusTimeout) {

  /** The one Raft group of an LMS cluster ("lms" in its first bytes). */
  public static final UUID LMS_GROUP_ID = UUID.fromString("6c6d7300-0000-4000-8000-000000000001");

  /**
   * The leader's retries towards a follower that does not answer: ten quick ones, then every 500
   * ms. Ratis's default ends in 5 s steps, so a restarted node waited ~15 s to be caught up.
   */
  public static final String APPENDER_RETRY_POLICY = "1ms,10, 500ms,100000";

  /** Pause between client attempts when no leader is known yet (an election takes 1-2 s). */
  static final TimeDuration CLIENT_RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

  public RatisSettings {
    Objects.requireNonNull(groupId, "groupId");
    requirePositive(clientRequestTimeout, "clientRequestTimeout");
    requirePositive(clientRetryBudget, "clientRetryBudget");
    requirePositive(applyWait, "applyWait");
    requirePositive(peerStatusTimeout, "peerStatusTimeout");
    if (snapshotsRetained < 1) {
      throw new IllegalArgumentException("snapshotsRetained must be at least 1");
    }
  }

  /** What a production node uses. */
  public static RatisSettings defaults() {
    return new RatisSettings(
        LMS_GROUP_ID,
        // Ratis's default is 3 s: a write in flight to a dead leader hung that long
        Duration.ofSeconds(1),
        Duration.ofSeconds(12),
        Duration.ofSeconds(10),
        // Ratis keeps every snapshot by default; two leave one to fall back on
        2,
        // a status page asks the peers on each refresh; a peer that is up answers in milliseconds
        Duration.ofSeconds(1));
  }

  public RatisSettings withClientRetryBudget(Duration budget) {
    return new RatisSettings(
        groupId, clientRequestTimeout, budget, applyWait, snapshotsRetained, peerStatusTimeout);
  }

  /** The Raft server's properties for {@code config}'s node. */
  RaftProperties serverProperties(NodeConfig config, String host, int port) {
    var p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    GrpcConfigKeys.Server.setHost(p, host);
    GrpcConfigKeys.Server.setPort(p, port);
    RaftServerConfigKeys.setStorageDir(p, List.of(config.raftDir().toFile()));

    // the default 150-300 ms gave spurious elections on 2-core machines (GC pauses of 0.3 s)
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(config.electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(config.electionTimeoutMax()));

    // read-only requests to a follower use ReadIndex; the default option would read the
    // follower's state machine without asking the leader (no linearizability); no leases
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);

    // snapshots are off by default; retention and purge bound the disk a node uses
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, snapshotsRetained);
    // purge up to the snapshot even if a follower lags: it then receives the snapshot
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    // ...but keep two snapshot intervals of log before the newest entry. A follower sent the
    // leader's snapshot then finds the entries after it still in the leader's log, instead of being
    // sent a second snapshot at once: in Ratis 3.3 a second installation that lands while the first
    // is being loaded is lost (the state machine updater's RELOAD is overwritten), and the follower
    // stops applying for good (found by the fault-injection suite, docs/chaos.md).
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, 2 * config.snapshotThreshold());
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p,
        SizeInBytes.valueOf(
            Math.min(
                config.logSegmentBytes(),
                RaftServerConfigKeys.Log.PREALLOCATED_SIZE_DEFAULT.getSize())));

    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);

    // Ratis 3.3 chains a follower's log appends into one future by default; when a snapshot
    // installed while entries were being appended makes one append fail its index check, every
    // later append composed on it fails too, and the follower refuses all entries until it is
    // restarted (found by the fault-injection suite, docs/chaos.md). Appended one request at a
    // time, the failed request is answered with an error, the leader asks again and is told the
    // follower's next index after the snapshot.
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    return p;
  }

  /** The gateway's client properties. */
  RaftProperties clientProperties() {
    var p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(clientRequestTimeout));
    return p;
  }

  /**
   * The properties of the client that asks peers for their status: one attempt per question (the
   * caller sends it unretried), bounded by {@link #peerStatusTimeout}.
   */
  RaftProperties peerStatusClientProperties() {
    var p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(peerStatusTimeout));
    return p;
  }

  /**
   * The properties of the client that asks the leader for a membership change: one attempt that may
   * take {@code timeout}, while the leader catches the new member up.
   */
  RaftProperties membershipClientProperties(Duration timeout) {
    var p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, duration(timeout));
    return p;
  }

  /**
   * Retry writes and reads every 100 ms (a NotLeader reply with a known leader is retried at once)
   * until {@link #clientRetryBudget} has passed since the request began: long enough to ride out an
   * election, short enough that a caller learns about a lost quorum. Retries keep the client and
   * call id, so the leader's retry cache never applies one proposal twice.
   */
  RetryPolicy clientRetryPolicy() {
    RetryPolicy everyPause = RetryPolicies.retryForeverWithSleep(CLIENT_RETRY_SLEEP);
    TimeDuration budget = duration(clientRetryBudget);
    return RequestTypeDependentRetryPolicy.newBuilder()
        .setRetryPolicy(TypeCase.WRITE, everyPause)
        .setTimeout(TypeCase.WRITE, budget)
        .setRetryPolicy(TypeCase.READ, everyPause)
        .setTimeout(TypeCase.READ, budget)
        .build();
  }

  static TimeDuration duration(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}

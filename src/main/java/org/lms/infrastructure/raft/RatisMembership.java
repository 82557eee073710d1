package org.lms.infrastructure.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.ReconfigurationTimeoutException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftConfiguration;
import org.lms.application.port.ClusterMembership;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft group's members as the replicated configuration names them, and the replacement of a
 * dead member by a new node through Ratis's {@code setConfiguration}: the leader first catches the
 * new node up as a non-voting staging member (a snapshot, then the log), then commits the joint
 * configuration of old and new members, then the new one. The cluster keeps committing throughout,
 * since the members that stay are a majority of both (docs/adr/0011-membership-changes.md).
 */
public final class RatisMembership implements ClusterMembership {

  private static final Logger LOG = LoggerFactory.getLogger(RatisMembership.class);

  /**
   * How long the leader may take to catch the new node up and commit the new configuration: the new
   * node must come within Ratis's staging gap (1000 entries) of the commit index, which for a large
   * state means installing a snapshot first.
   */
  static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(2);

  /** How long this node waits to see a committed change in its own copy of the configuration. */
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final RatisNode node;
  private final RatisClusterStatus status;
  private final RatisMemberDirectory directory;
  private final RatisSettings settings;

  RatisMembership(
      RatisNode node,
      RatisClusterStatus status,
      RatisMemberDirectory directory,
      RatisSettings settings) {
    this.node = Objects.requireNonNull(node, "node");
    this.status = Objects.requireNonNull(status, "status");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public List<Member> members() {
    return node.members().stream()
        .map(
            p ->
                new Member(
                    p.getId().toString(),
                    p.getAddress(),
                    directory.knownGrpcAddress(p.getId().toString())))
        .toList();
  }

  /**
   * Checks the request against the group (see {@link MemberReplacement#check}), asks the new node
   * whether its Raft server runs, then has the leader change the configuration from the current
   * members to the current ones without {@code deadId} and with {@code newId}, compared and set so
   * that a concurrent change makes this one fail rather than undo it. One change at a time per
   * node; Ratis refuses a second one under way anywhere.
   */
  @Override
  public synchronized Replacement replace(String deadId, String newId, String newRaftAddress) {
    MemberReplacement request = MemberReplacement.parse(deadId, newId, newRaftAddress);
    RaftConfiguration conf =
        node.configuration()
            .orElseThrow(
                () ->
                    new ChangeRefused(
                        ChangeRefused.Reason.UNAVAILABLE,
                        "this node's Raft server is not running or has not joined the group"));
    if (!conf.getPreviousPeers().isEmpty()) {
      throw new ChangeRefused(
          ChangeRefused.Reason.CONFLICT,
          "a membership change is under way (from "
              + RatisNode.memberIds(conf.getPreviousPeers())
              + " to "
              + RatisNode.memberIds(conf.getCurrentPeers())
              + "); wait until it ends");
    }
    List<RaftPeer> current = RatisNode.sorted(conf.getCurrentPeers());
    Map<String, String> addresses = new LinkedHashMap<>();
    current.forEach(p -> addresses.put(p.getId().toString(), p.getAddress()));
    List<NodeStatus> group = status.group();
    if (request.check(addresses, group) == MemberReplacement.Verdict.ALREADY_DONE) {
      return new Replacement(members(), status.local().commitIndex(), true);
    }
    RaftPeer added = RaftPeer.newBuilder().setId(newId).setAddress(request.newAddress()).build();
    if (status.ask(added).join().isUnknown()) {
      throw new ChangeRefused(
          ChangeRefused.Reason.UNAVAILABLE,
          newId
              + " does not answer at "
              + request.newAddress()
              + ": start it first (./lms replace-node does), then ask again");
    }
    String leader =
        group.stream()
            .filter(NodeStatus::ready)
            .flatMap(s -> s.leaderId().stream())
            .findFirst()
            .orElseThrow(
                () ->
                    new ChangeRefused(ChangeRefused.Reason.UNAVAILABLE, "no Raft leader is known"));
    List<RaftPeer> next = new ArrayList<>();
    current.stream().filter(p -> !p.getId().toString().equals(deadId)).forEach(next::add);
    next.add(added);

    LOG.info(
        "Replacing {} by {} at {}: members {} -> {}",
        deadId,
        newId,
        newRaftAddress,
        RatisNode.memberIds(current),
        RatisNode.memberIds(next));
    long started = System.nanoTime();
    Throwable failure = setConfiguration(leader, current, RatisNode.sorted(next));
    boolean visible = awaitVisible(request);
    if (failure != null && !visible) {
      throw refusal(request, failure);
    }
    if (failure != null) {
      LOG.info(
          "The change to {} was committed although the leader's reply said {}",
          RatisNode.memberIds(next),
          failure.toString());
    }
    LOG.info(
        "Replaced {} by {} in {} ms", deadId, newId, (System.nanoTime() - started) / 1_000_000);
    return new Replacement(members(), status.local().commitIndex(), false);
  }

  /** Asks the leader to change the configuration; the failure, or null on success. */
  private Throwable setConfiguration(String leader, List<RaftPeer> current, List<RaftPeer> next) {
    var arguments =
        SetConfigurationRequest.Arguments.newBuilder()
            .setServersInCurrentConf(current)
            .setServersInNewConf(next)
            .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
            .build();
    // a client of its own: the request may take minutes (the gateway's gives up after 1 s per
    // attempt), and it is sent once, since a retry would meet the first attempt still staging
    try (RaftClient admin =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(RaftGroup.valueOf(node.raftGroupId(), current))
            .setLeaderId(RaftPeerId.valueOf(leader))
            .setProperties(settings.membershipClientProperties(CHANGE_TIMEOUT))
            .setRetryPolicy(RetryPolicies.noRetry())
            .build()) {
      RaftClientReply reply = admin.admin().setConfiguration(arguments);
      return reply.isSuccess() ? null : reply.getException();
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  /**
   * Waits a little until this node's configuration has the new member instead of the dead one: a
   * committed change reaches the followers with the next heartbeat, and a change whose reply was
   * lost (the leader changed just after committing) shows here too.
   */
  private boolean awaitVisible(MemberReplacement request) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      List<String> ids = RatisNode.memberIds(node.members());
      if (ids.contains(request.newId()) && !ids.contains(request.deadId())) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Says in one line why Ratis did not make the change. */
  static ChangeRefused refusal(MemberReplacement request, Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null
        && !(cause instanceof SetConfigurationException)
        && !(cause instanceof ReconfigurationInProgressException)
        && !(cause instanceof ReconfigurationTimeoutException)
        && !(cause instanceof NotLeaderException)) {
      cause = cause.getCause();
    }
    if (cause instanceof ReconfigurationInProgressException) {
      return new ChangeRefused(
          ChangeRefused.Reason.CONFLICT,
          "another membership change is under way; wait until it ends",
          failure);
    }
    if (cause instanceof ReconfigurationTimeoutException) {
      return new ChangeRefused(
          ChangeRefused.Reason.UNAVAILABLE,
          "the leader could not catch "
              + request.newId()
              + " up: it stopped answering at "
              + request.newAddress(),
          failure);
    }
    if (cause instanceof SetConfigurationException) {
      return new ChangeRefused(
          ChangeRefused.Reason.CONFLICT,
          "the group's members changed meanwhile; look at them again",
          failure);
    }
    if (cause instanceof NotLeaderException
        || cause instanceof LeaderNotReadyException
        || cause instanceof LeaderSteppingDownException) {
      return new ChangeRefused(
          ChangeRefused.Reason.UNAVAILABLE,
          "the Raft leader changed before the change was committed; ask again",
          failure);
    }
    if (cause instanceof TimeoutIOException) {
      return new ChangeRefused(
          ChangeRefused.Reason.UNAVAILABLE,
          "the leader did not commit the change within "
              + CHANGE_TIMEOUT.toSeconds()
              + " s; "
              + request.newId()
              + " may still be catching up: ask again later",
          failure);
    }
    return new ChangeRefused(
        ChangeRefused.Reason.UNAVAILABLE, "the change failed: " + oneLine(cause), failure);
  }

  private static String oneLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }
}

package org.lms.infrastructure.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.lms.application.port.ClusterStatus;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.raft.status.v1.NodeStatusReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in the Raft group, read from its Ratis server's division: role, term, commit
 * and applied indexes, the leader it follows. A node whose server is stopped reports role {@code
 * DOWN}. {@link #group()} adds each peer's own account, asked through Ratis itself (a stale read
 * addressed to that peer, answered by its state machine's query without the leader; see
 * docs/adr/0007-cluster-status-by-stale-read.md). The peers are the members of the replicated Raft
 * configuration at the time of asking, so a member that joined since this node started is listed
 * and asked; each answer also carries the member's gRPC address, which this node remembers for blob
 * replication (docs/adr/0011-membership-changes.md).
 */
public final class RatisClusterStatus implements ClusterStatus {

  private static final Logger LOG = LoggerFactory.getLogger(RatisClusterStatus.class);

  /** How far the applied index may trail the commit index for the node to count as ready. */
  public static final long READY_LAG = 10;

  /** The content of the stale read that asks a node to describe itself. */
  static final ByteString NODE_STATUS_QUERY = ByteString.copyFromUtf8("node-status");

  private final String nodeId;
  private final RaftGroupId groupId;
  private final Supplier<RaftServer> server;
  private final AppliedIndexWaiter applied;
  private final Supplier<List<RaftPeer>> members;
  private final RaftClient peerClient;
  private final Duration peerTimeout;

  /** The peers {@link #peerClient}'s RPC knows the addresses of. */
  private final Set<RaftPeerId> known = ConcurrentHashMap.newKeySet();

  /** Member id to the gRPC address it gave in its last answer. */
  private final Map<String, String> grpcAddresses = new ConcurrentHashMap<>();

  /**
   * @param members the members of the group now (this node among them), in the order {@link
   *     #group()} lists them
   * @param peerClient the client the peers are asked through: one of its own, so that status
   *     questions never wait behind (or retry like) the gateway's proposals
   * @param peerTimeout how long {@link #group()} waits for the peers' answers
   */
  RatisClusterStatus(
      String nodeId,
      RaftGroupId groupId,
      Supplier<RaftServer> server,
      AppliedIndexWaiter applied,
      Supplier<List<RaftPeer>> members,
      RaftClient peerClient,
      Duration peerTimeout) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.groupId = Objects.requireNonNull(groupId, "groupId");
    this.server = Objects.requireNonNull(server, "server");
    this.applied = Objects.requireNonNull(applied, "applied");
    this.members = Objects.requireNonNull(members, "members");
    this.peerClient = Objects.requireNonNull(peerClient, "peerClient");
    this.peerTimeout = Objects.requireNonNull(peerTimeout, "peerTimeout");
  }

  @Override
  public NodeStatus local() {
    RaftServer current = server.get();
    if (current == null || current.getLifeCycleState().isClosingOrClosed()) {
      return down();
    }
    try {
      return describe(nodeId, current.getDivision(groupId)).orElseGet(this::down);
    } catch (IOException e) {
      return down();
    }
  }

  /**
   * This node, then every peer as it describes itself, asked all at once. A peer's answer is
   * awaited for at most the peer timeout (about a second): one that does not answer in time, or
   * cannot be reached, is {@link ClusterStatus#UNKNOWN}; one whose Raft server answers that its
   * member of the group is not running is {@link ClusterStatus#DOWN}.
   */
  @Override
  public List<NodeStatus> group() {
    List<RaftPeer> peers = peers();
    List<CompletableFuture<NodeStatus>> asked = new ArrayList<>(peers.size());
    for (RaftPeer peer : peers) {
      asked.add(ask(peer));
    }
    List<NodeStatus> group = new ArrayList<>(peers.size() + 1);
    group.add(local());
    for (CompletableFuture<NodeStatus> answer : asked) {
      group.add(answer.join());
    }
    return group;
  }

  /** The ids of the group's current members, in id order, this node among them. */
  @Override
  public List<String> members() {
    return members.get().stream().map(p -> p.getId().toString()).toList();
  }

  /** The other members of the group now. */
  private List<RaftPeer> peers() {
    return members.get().stream().filter(p -> !p.getId().toString().equals(nodeId)).toList();
  }

  /** The gRPC address {@code memberId} gave in its last answer, if it answered since the start. */
  Optional<String> learnedGrpcAddress(String memberId) {
    return Optional.ofNullable(grpcAddresses.get(memberId));
  }

  /**
   * Asks one peer to describe itself. Never fails: the future completes within the peer timeout
   * with the peer's answer or with what its silence or refusal tells. The peer need not be a member
   * (a node about to be added is asked whether it runs).
   */
  CompletableFuture<NodeStatus> ask(RaftPeer member) {
    RaftPeerId peer = member.getId();
    String id = peer.toString();
    if (known.add(peer)) {
      peerClient.getClientRpc().addRaftPeers(List.of(member));
    }
    // one attempt on the client's unordered stream, bounded by its request timeout: the async API's
    // sendStaleRead goes through the ordered, retrying path (a sliding window per server, retries
    // by the client's policy, an ERROR log with a stack trace for each failure)
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(peerClient.getId())
            .setServerId(peer)
            .setGroupId(groupId)
            .setCallId(CallId.getAndIncrement())
            .setMessage(Message.valueOf(NODE_STATUS_QUERY))
            .setType(RaftClientRequest.staleReadRequestType(0))
            .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = peerClient.getClientRpc().sendRequestAsyncUnordered(request);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(unanswered(id, e));
    }
    // one stage: whoever waits for the answer finds the address it carried already remembered
    return reply
        .handle(
            (r, e) -> {
              if (e != null) {
                NodeStatus status = unanswered(id, e);
                if (status.isUnknown()) {
                  reconnect(peer, e);
                }
                return status;
              }
              if (r.isSuccess() && r.getException() == null) {
                learn(id, r.getMessage().getContent());
              }
              return answered(id, r);
            })
        .completeOnTimeout(NodeStatus.unknown(id), peerTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Drops the connection to a peer that could not be reached, as Ratis's own client does after such
   * a failure: the next question opens a new one at once, rather than waiting out the backoff of a
   * gRPC channel that failed many times while the peer was away.
   */
  private void reconnect(RaftPeerId peer, Throwable failure) {
    try {
      peerClient.getClientRpc().handleException(peer, failure, true);
    } catch (RuntimeException e) {
      LOG.debug("could not reset the connection to {}", peer, e);
    }
  }

  /** Remembers the gRPC address a peer's own answer gave, if it gave one. */
  private void learn(String peerId, ByteString content) {
    try {
      NodeStatusReport report = NodeStatusReport.parseFrom(content.toByteArray());
      if (report.getNodeId().equals(peerId) && report.hasGrpcAddress()) {
        String address = report.getGrpcAddress();
        NodeConfig.portOf(address); // refuses what is not host:port
        String before = grpcAddresses.put(peerId, address);
        if (!address.equals(before)) {
          LOG.info("{} gives its gRPC address as {}", peerId, address);
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
      LOG.debug("no gRPC address in the answer of {}", peerId, e);
    }
  }

  /** A peer's reply: its own account, or what the exception it answered with tells. */
  static NodeStatus answered(String peerId, RaftClientReply reply) {
    if (!reply.isSuccess() || reply.getException() != null) {
      return unanswered(peerId, reply.getException());
    }
    try {
      NodeStatus status = decode(reply.getMessage().getContent());
      if (!status.nodeId().equals(peerId)) {
        LOG.warn("asked {} for its status, {} answered", peerId, status.nodeId());
        return NodeStatus.unknown(peerId);
      }
      return status;
    } catch (IllegalArgumentException e) {
      LOG.warn("{} answered its status in a form this node does not read", peerId, e);
      return NodeStatus.unknown(peerId);
    }
  }

  /**
   * What a failed question tells about a peer. Only the peer's Raft server can answer that its
   * division is not running (starting, closed, or removed while the watchdog restarts it), that it
   * has no such group, or that its state machine could not answer: then the peer is {@code DOWN}.
   * Anything else (refused or lost connection, timeout, a closed stream) is {@code UNKNOWN}.
   */
  static NodeStatus unanswered(String peerId, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ServerNotReadyException
          || t instanceof GroupMismatchException
          || t instanceof StateMachineException) {
        return new NodeStatus(peerId, DOWN, 0, 0, 0, Optional.empty(), false);
      }
    }
    return NodeStatus.unknown(peerId);
  }

  /**
   * What a running division says of itself, the same for {@link #local()} and for the answer to a
   * peer's question; empty while the division is closed or still starting.
   */
  static Optional<NodeStatus> describe(String nodeId, RaftServer.Division division) {
    DivisionInfo info = division.getInfo();
    if (!info.isAlive()) {
      return Optional.empty();
    }
    try {
      long commit = division.getRaftLog().getLastCommittedIndex();
      long appliedIndex = info.getLastAppliedIndex();
      Optional<String> leader = Optional.ofNullable(info.getLeaderId()).map(RaftPeerId::toString);
      boolean ready = leader.isPresent() && appliedIndex >= commit - READY_LAG;
      return Optional.of(
          new NodeStatus(
              nodeId,
              info.getCurrentRole().name(),
              info.getCurrentTerm(),
              commit,
              appliedIndex,
              leader,
              ready,
              lastContact(info.getRoleInfoProto())));
    } catch (IllegalStateException e) {
      // a division being started (e.g. restarted by the watchdog) has neither log nor state
      // machine updater yet; Ratis throws from whichever of them is read first (a CI run met
      // "stateMachineUpdater is uninitialized" here)
      return Optional.empty();
    }
  }

  /** How long ago a follower heard from its leader, or a candidate from the last one it had. */
  static Optional<Duration> lastContact(RoleInfoProto role) {
    if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()) {
      return Optional.of(
          Duration.ofMillis(role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs()));
    }
    if (role.hasCandidateInfo()) {
      return Optional.of(Duration.ofMillis(role.getCandidateInfo().getLastLeaderElapsedTimeMs()));
    }
    return Optional.empty();
  }

  /**
   * The answer to a peer's question, in the schema of {@code lms/internal/v1/raft_status.proto}.
   */
  static Message encode(NodeStatus status) {
    return encode(status, Optional.empty());
  }

  /** The answer to a peer's question, with the gRPC address the peers reach this node at. */
  static Message encode(NodeStatus status, Optional<String> grpcAddress) {
    var report =
        NodeStatusReport.newBuilder()
            .setNodeId(status.nodeId())
            .setRole(status.role())
            .setTerm(status.term())
            .setCommitIndex(status.commitIndex())
            .setAppliedIndex(status.appliedIndex())
            .setReady(status.ready());
    status.leaderId().ifPresent(report::setLeaderId);
    status.lastContact().ifPresent(d -> report.setLastContactMillis(d.toMillis()));
    grpcAddress.ifPresent(report::setGrpcAddress);
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(report.build().toByteArray()));
  }

  /**
   * Reads a peer's answer.
   *
   * @throws IllegalArgumentException if it is not a status report
   */
  static NodeStatus decode(ByteString content) {
    NodeStatusReport report;
    try {
      report = NodeStatusReport.parseFrom(content.toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a node status report", e);
    }
    if (report.getNodeId().isEmpty() || report.getRole().isEmpty()) {
      throw new IllegalArgumentException("a node status report without node id or role");
    }
    return new NodeStatus(
        report.getNodeId(),
        report.getRole(),
        report.getTerm(),
        report.getCommitIndex(),
        report.getAppliedIndex(),
        report.hasLeaderId() ? Optional.of(report.getLeaderId()) : Optional.empty(),
        report.getReady(),
        report.hasLastContactMillis()
            ? Optional.of(Duration.ofMillis(report.getLastContactMillis()))
            : Optional.empty());
  }

  private NodeStatus down() {
    return new NodeStatus(
        nodeId, ClusterStatus.DOWN, 0, 0, applied.applied(), Optional.empty(), false);
  }
}

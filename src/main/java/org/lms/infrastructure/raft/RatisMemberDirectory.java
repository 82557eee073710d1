package org.lms.infrastructure.raft;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftPeer;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.grpc.PeerDirectory;

/**
 * The members of the replicated Raft configuration and their gRPC addresses, for blob replication.
 * A member's gRPC address is the one it gave in its last answer to a status question, else the one
 * in {@code LMS_GRPC_PEERS}; a member known by neither (it joined after this node started, and
 * nobody has asked it yet) is asked on the spot, at most once per {@link #ASK_INTERVAL}, so that a
 * dead member does not slow every upload down (docs/adr/0011-membership-changes.md).
 */
public final class RatisMemberDirectory implements PeerDirectory {

  /** How often a member whose address is unknown is asked at most. */
  static final Duration ASK_INTERVAL = Duration.ofSeconds(2);

  private final String selfId;
  private final Map<String, String> configured;
  private final Supplier<List<RaftPeer>> members;
  private final RatisClusterStatus status;
  private final Map<String, Long> lastAsked = new ConcurrentHashMap<>();

  RatisMemberDirectory(
      NodeConfig config, Supplier<List<RaftPeer>> members, RatisClusterStatus status) {
    this.selfId = config.nodeId();
    this.configured = config.grpcPeers();
    this.members = Objects.requireNonNull(members, "members");
    this.status = Objects.requireNonNull(status, "status");
  }

  @Override
  public Set<String> memberIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (RaftPeer peer : members.get()) {
      ids.add(peer.getId().toString());
    }
    return ids;
  }

  @Override
  public Optional<String> grpcAddress(String memberId) {
    Optional<String> known = knownGrpcAddress(memberId);
    if (known.isPresent() || memberId.equals(selfId)) {
      return known;
    }
    RaftPeer member =
        members.get().stream()
            .filter(p -> p.getId().toString().equals(memberId))
            .findFirst()
            .orElse(null);
    if (member == null || !mayAsk(memberId)) {
      return Optional.empty();
    }
    // bounded by the status client's timeout; the answer's address is remembered on arrival
    status.ask(member).join();
    return knownGrpcAddress(memberId);
  }

  /**
   * Asks, without waiting, every member whose gRPC address this node does not know yet; each answer
   * is remembered as it arrives. Called when the members change and when the node starts, so that
   * the first upload after a member joined finds its address known.
   */
  void learnUnknownAddresses() {
    for (RaftPeer member : members.get()) {
      String id = member.getId().toString();
      if (!id.equals(selfId) && knownGrpcAddress(id).isEmpty()) {
        status.ask(member);
      }
    }
  }

  /** What this node knows without asking: the member's own word first, then its configuration. */
  Optional<String> knownGrpcAddress(String memberId) {
    return status
        .learnedGrpcAddress(memberId)
        .or(() -> Optional.ofNullable(configured.get(memberId)));
  }

  private boolean mayAsk(String memberId) {
    long now = System.nanoTime();
    long interval = ASK_INTERVAL.toNanos();
    Long before = lastAsked.get(memberId);
    if (before != null && now - before < interval) {
      return false;
    }
    return before == null
        ? lastAsked.putIfAbsent(memberId, now) == null
        : lastAsked.replace(memberId, before, now);
  }
}

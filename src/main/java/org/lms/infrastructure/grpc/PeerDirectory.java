package org.lms.infrastructure.grpc;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who the members of the Raft group are now, and where their gRPC servers listen: what {@link
 * PeerChannels} reaches for blob replication. The members change with the replicated Raft
 * configuration (a node replaced by a new one), so callers ask on every use rather than keep a copy
 * (docs/adr/0011-membership-changes.md).
 */
public interface PeerDirectory {

  /** The ids of the group's current members, this node included. */
  Set<String> memberIds();

  /**
   * The {@code host:port} of a member's gRPC server, if known. May ask the member itself, so it can
   * take up to about a second for a member this node has not heard of before.
   */
  Optional<String> grpcAddress(String memberId);

  /** A group whose members never change: {@code grpcPeers}' ids at its addresses. */
  static PeerDirectory fixed(Map<String, String> grpcPeers) {
    Map<String, String> peers = Map.copyOf(grpcPeers);
    return new PeerDirectory() {
      @Override
      public Set<String> memberIds() {
        return peers.keySet();
      }

      @Override
      public Optional<String> grpcAddress(String memberId) {
        return Optional.ofNullable(peers.get(memberId));
      }
    };
  }
}

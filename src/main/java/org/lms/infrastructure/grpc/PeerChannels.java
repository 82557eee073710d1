package org.lms.infrastructure.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.lms.infrastructure.config.NodeConfig;

/**
 * One plaintext gRPC channel to each peer's server, created on first use, every call carrying the
 * cluster secret. Plaintext because peers talk over loopback or the cluster's private network; the
 * secret keeps strangers out, not eavesdroppers. The peers are the current members of a {@link
 * PeerDirectory}: a member that joined after this node started is reached at the address the
 * directory learns, and the channel of a member that left is closed.
 */
public final class PeerChannels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerChannels.class.getName());

  private final String selfId;
  private final PeerDirectory directory;
  private final String clusterSecret;
  private final Map<String, Open> channels = new HashMap<>();
  private boolean closed;

  /** A channel and the address it was opened to. */
  private record Open(String address, ManagedChannel channel) {}

  /** The peers of {@code config.grpcPeers()} other than this node, with the cluster secret. */
  public PeerChannels(NodeConfig config) {
    this(config.nodeId(), config.grpcPeers(), config.clusterSecret());
  }

  /**
   * @param selfId this node's id, left out of the peers
   * @param grpcPeers node id to {@code host:port} of its gRPC server
   * @param clusterSecret attached to every call
   */
  public PeerChannels(String selfId, Map<String, String> grpcPeers, String clusterSecret) {
    this(selfId, PeerDirectory.fixed(grpcPeers), clusterSecret);
  }

  /**
   * @param selfId this node's id, left out of the peers
   * @param directory the current members and their gRPC addresses
   * @param clusterSecret attached to every call
   */
  public PeerChannels(String selfId, PeerDirectory directory, String clusterSecret) {
    ClusterSecretInterceptor.attaching(clusterSecret); // fails now, not on first call
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clusterSecret = clusterSecret;
  }

  /** The ids of the other current members, sorted, so every caller asks them in the same order. */
  public List<String> peerIds() {
    return directory.memberIds().stream().filter(id -> !id.equals(selfId)).sorted().toList();
  }

  /** How many members the group has now, this node included: what a majority is counted of. */
  public int groupSize() {
    return directory.memberIds().size();
  }

  /**
   * The channel to {@code peerId}, created on first use (again, if the member's address changed).
   *
   * @throws IllegalArgumentException if {@code peerId} is not a current member
   * @throws IllegalStateException if the member's address is not known (yet), or the channels are
   *     closed
   */
  public ManagedChannel channel(String peerId) {
    List<String> peers = peerIds();
    if (!peers.contains(peerId)) {
      throw new IllegalArgumentException("not a peer: " + peerId);
    }
    // may ask the member (up to about a second): not under the lock
    String address =
        directory
            .grpcAddress(peerId)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the gRPC address of member " + peerId + " is not known"));
    List<ManagedChannel> stale = new ArrayList<>();
    ManagedChannel channel;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("peer channels are closed");
      }
      // channels of members that left the group
      for (var it = channels.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        if (!peers.contains(entry.getKey())) {
          stale.add(entry.getValue().channel());
          it.remove();
        }
      }
      Open open = channels.get(peerId);
      if (open == null || !open.address().equals(address)) {
        if (open != null) {
          stale.add(open.channel());
        }
        open = new Open(address, open(address));
        channels.put(peerId, open);
      }
      channel = open.channel();
    }
    stale.forEach(ManagedChannel::shutdown);
    return channel;
  }

  private ManagedChannel open(String address) {
    return NettyChannelBuilder.forAddress(NodeConfig.hostOf(address), NodeConfig.portOf(address))
        .usePlaintext()
        .intercept(ClusterSecretInterceptor.attaching(clusterSecret))
        .maxInboundMessageSize(NodeGrpcServer.DEFAULT_MAX_INBOUND_MESSAGE_BYTES)
        .build();
  }

  /** Closes every channel: in-flight calls get a few seconds, then are cancelled. */
  @Override
  public void close() {
    List<ManagedChannel> open;
    synchronized (this) {
      closed = true;
      open = channels.values().stream().map(Open::channel).toList();
    }
    for (ManagedChannel channel : open) {
      channel.shutdown();
    }
    for (ManagedChannel channel : open) {
      try {
        if (!channel.awaitTermination(3, TimeUnit.SECONDS)) {
          channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    LOG.fine("closed peer channels");
  }
}

package org.lms.infrastructure.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
 * secret keeps strangers out, not eavesdroppers.
 */
public final class PeerChannels implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PeerChannels.class.getName());

  private final Map<String, String> addresses;
  private final List<String> peerIds;
  private final String clusterSecret;
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private boolean closed;

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
    this.addresses = Map.copyOf(grpcPeers);
    this.peerIds = grpcPeers.keySet().stream().filter(id -> !id.equals(selfId)).sorted().toList();
    ClusterSecretInterceptor.attaching(clusterSecret); // fails now, not on first call
    this.clusterSecret = clusterSecret;
  }

  /** The ids of the other nodes, sorted, so every caller asks them in the same order. */
  public List<String> peerIds() {
    return peerIds;
  }

  /** The channel to {@code peerId}, created on first use. */
  public synchronized ManagedChannel channel(String peerId) {
    if (closed) {
      throw new IllegalStateException("peer channels are closed");
    }
    if (!peerIds.contains(peerId)) {
      throw new IllegalArgumentException("not a peer: " + peerId);
    }
    return channels.computeIfAbsent(peerId, this::open);
  }

  private ManagedChannel open(String peerId) {
    String address = Objects.requireNonNull(addresses.get(peerId));
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
      open = List.copyOf(channels.values());
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

package org.lms.infrastructure.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one node needs to know about itself and its peers. Built from MicroProfile Config in
 * the container ({@code NodeConfigProducer}) and directly in tests.
 *
 * @param nodeId this node's id, one of the keys of {@code raftPeers} ({@code SERVER_NAME})
 * @param dataDir the node's own data directory: Raft log, embedded MongoDB files ({@code
 *     LMS_DATA_DIR})
 * @param fileStorageDir where blobs live ({@code FILE_STORAGE_DIR})
 * @param raftPeers node id to {@code host:port} of its Raft server ({@code LMS_RAFT_PEERS}); the
 *     map keeps no order, so whoever needs one sorts the ids (Ratis's group, {@code PeerChannels}).
 *     It gives this node's own Raft address, the group a new cluster's empty storage is formatted
 *     with, and the peers asked first. Once the storage holds a configuration (every node that has
 *     been a member), the replicated configuration decides who the members are, not this map: a
 *     survivor of a membership change restarted with the old list still knows the new members
 *     (docs/adr/0011-membership-changes.md)
 * @param grpcPeers node id to {@code host:port} of its gRPC server ({@code LMS_GRPC_PEERS}); a
 *     member missing here (one that joined later) is asked for its address
 * @param grpcPort the port this node's gRPC server listens on ({@code LMS_GRPC_PORT})
 * @param clusterSecret shared secret that authenticates node-to-node calls ({@code
 *     LMS_CLUSTER_SECRET})
 * @param maxUploadBytes the largest file accepted ({@code LMS_MAX_UPLOAD_BYTES}, default 25 MB)
 * @param mongoUri a real MongoDB to use; empty starts the embedded server ({@code MONGO_URI})
 * @param electionTimeoutMin lower bound of the Raft election timeout
 * @param electionTimeoutMax upper bound of the Raft election timeout
 * @param snapshotThreshold log entries between automatic snapshots ({@code LMS_SNAPSHOT_THRESHOLD})
 * @param logSegmentBytes the size at which a Raft log segment is closed ({@code
 *     LMS_LOG_SEGMENT_BYTES}, default 8 MB); a snapshot purges closed segments only, so this bounds
 *     how much log a node keeps beyond its last snapshot
 * @param raftJoin whether this node joins an existing group ({@code LMS_RAFT_JOIN}): its Raft
 *     server starts with no configuration of its own and waits for the leader to add it, instead of
 *     forming a group with {@code raftPeers}. Set by {@code ./lms replace-node} for the new node
 */
public record NodeConfig(
    String nodeId,
    Path dataDir,
    Path fileStorageDir,
    Map<String, String> raftPeers,
    Map<String, String> grpcPeers,
    int grpcPort,
    String clusterSecret,
    long maxUploadBytes,
    Optional<String> mongoUri,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    long snapshotThreshold,
    long logSegmentBytes,
    boolean raftJoin) {

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;

  /** Ratis's own default segment size. */
  public static final long DEFAULT_LOG_SEGMENT_BYTES = 8L * 1024 * 1024;

  /** A node of a new or existing group that does not join by a membership change. */
  public NodeConfig(
      String nodeId,
      Path dataDir,
      Path fileStorageDir,
      Map<String, String> raftPeers,
      Map<String, String> grpcPeers,
      int grpcPort,
      String clusterSecret,
      long maxUploadBytes,
      Optional<String> mongoUri,
      Duration electionTimeoutMin,
      Duration electionTimeoutMax,
      long snapshotThreshold,
      long logSegmentBytes) {
    this(
        nodeId,
        dataDir,
        fileStorageDir,
        raftPeers,
        grpcPeers,
        grpcPort,
        clusterSecret,
        maxUploadBytes,
        mongoUri,
        electionTimeoutMin,
        electionTimeoutMax,
        snapshotThreshold,
        logSegmentBytes,
        false);
  }

  public NodeConfig {
    Objects.requireNonNull(nodeId, "nodeId");
    raftPeers = Map.copyOf(raftPeers);
    grpcPeers = Map.copyOf(grpcPeers);
    if (!raftPeers.containsKey(nodeId)) {
      throw new IllegalArgumentException(
          "node id '" + nodeId + "' is not among the Raft peers " + raftPeers.keySet());
    }
  }

  /** The host of a peer's {@code host:port} address, without the brackets of an IPv6 literal. */
  public static String hostOf(String address) {
    String host = address.substring(0, lastColon(address));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The port of a peer's {@code host:port} address. */
  public static int portOf(String address) {
    return Integer.parseInt(address.substring(lastColon(address) + 1));
  }

  private static int lastColon(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address is not host:port: " + address);
    }
    return colon;
  }

  /** The same node, joining an existing group ({@link #raftJoin}) or not. */
  public NodeConfig withRaftJoin(boolean join) {
    return new NodeConfig(
        nodeId,
        dataDir,
        fileStorageDir,
        raftPeers,
        grpcPeers,
        grpcPort,
        clusterSecret,
        maxUploadBytes,
        mongoUri,
        electionTimeoutMin,
        electionTimeoutMax,
        snapshotThreshold,
        logSegmentBytes,
        join);
  }

  /** The Raft storage directory of this node. */
  public Path raftDir() {
    return dataDir.resolve("raft");
  }

  /** The directory of the embedded MongoDB's files, used when no {@link #mongoUri} is set. */
  public Path embeddedMongoDir() {
    return dataDir.resolve("mongo");
  }

  /** The MongoDB database that holds this node's copy of the state: one per node. */
  public String databaseName() {
    return "lms_" + nodeId.replaceAll("[^A-Za-z0-9_]", "_");
  }
}

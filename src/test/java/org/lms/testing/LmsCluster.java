package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Role;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.blobs.BlobReplicationService;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.blobs.ReplicatedBlobStore;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.grpc.ClusterSecretInterceptor;
import org.lms.infrastructure.grpc.NodeGrpcServer;
import org.lms.infrastructure.grpc.PeerChannels;
import org.lms.infrastructure.knowledge.LuceneCourseKnowledge;
import org.lms.infrastructure.knowledge.PdfAndTextReader;
import org.lms.infrastructure.node.KnowledgeUpkeep;
import org.lms.infrastructure.ollama.OllamaLanguageModel;
import org.lms.infrastructure.security.Pbkdf2PasswordHasher;

/**
 * The whole application on three in-JVM nodes: a {@link RatisCluster}, a replicated blob store per
 * node (real gRPC on loopback) and an {@link LmsApplication} per node, built the way the container
 * wiring builds them. Passwords are hashed with few PBKDF2 iterations: hashing cost is not what
 * these tests measure. The nodes' AI assistant talks to one {@link OllamaStandIn} over real HTTP
 * ({@link #ollama()}), through the production Ollama client without the container's Fault
 * Tolerance, with a reply bound of {@link #AI_TIMEOUT}; each node keeps its own course knowledge.
 */
public final class LmsCluster implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-1";
  public static final String PASSWORD = "password-123";

  private final RatisCluster raft;
  private final List<NodeGrpcServer> servers = new ArrayList<>();
  private final List<PeerChannels> channels = new ArrayList<>();
  private final List<ReplicatedBlobStore> blobs = new ArrayList<>();
  private final List<LmsApplication> apps = new ArrayList<>();
  private final List<AutoCloseable> aiParts = new ArrayList<>();
  private final List<LuceneCourseKnowledge> knowledge = new ArrayList<>();
  private final OllamaStandIn ollama = OllamaStandIn.start();

  /** The bound on one model reply in the in-JVM cluster: short, so slow-model tests stay short. */
  public static final Duration AI_TIMEOUT = Duration.ofSeconds(3);

  private LmsCluster(RatisCluster raft) {
    this.raft = raft;
  }

  /** Starts three nodes and bootstraps the administrator. */
  public static LmsCluster start() {
    RatisCluster raft = RatisCluster.start(10_000);
    var cluster = new LmsCluster(raft);
    try {
      cluster.startNodes();
      raft.awaitLeader(Duration.ofSeconds(20));
      cluster.app(0).accounts().bootstrapAdmin("admin", ADMIN_PASSWORD.toCharArray());
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  private void startNodes() throws IOException {
    Map<String, String> grpcPeers = new LinkedHashMap<>();
    int[] ports = FreePorts.loopback(raft.size());
    for (int i = 0; i < raft.size(); i++) {
      grpcPeers.put(raft.config(i).nodeId(), "127.0.0.1:" + ports[i]);
    }
    var hasher = new Pbkdf2PasswordHasher(1_000);
    for (int i = 0; i < raft.size(); i++) {
      NodeConfig c = raft.config(i);
      NodeConfig config =
          new NodeConfig(
              c.nodeId(),
              c.dataDir(),
              c.fileStorageDir(),
              c.raftPeers(),
              grpcPeers,
              Integer.parseInt(grpcPeers.get(c.nodeId()).split(":")[1]),
              c.clusterSecret(),
              c.maxUploadBytes(),
              c.mongoUri(),
              c.electionTimeoutMin(),
              c.electionTimeoutMax(),
              c.snapshotThreshold(),
              c.logSegmentBytes());
      var files = new FileBlobStore(config.fileStorageDir());
      servers.add(
          NodeGrpcServer.builder("127.0.0.1", config.grpcPort())
              .addService(
                  new BlobReplicationService(files, config.maxUploadBytes()),
                  new ClusterSecretInterceptor(config.clusterSecret()))
              .build()
              .start());
      var peers = new PeerChannels(config);
      channels.add(peers);
      var store = new ReplicatedBlobStore(config, files, peers, Duration.ofSeconds(10));
      blobs.add(store);
      var aiSettings =
          Map.of(
              "OLLAMA_URL", ollama.url().toString(),
              "LMS_AI_TIMEOUT_MS", Long.toString(AI_TIMEOUT.toMillis()));
      var model = OllamaLanguageModel.unguarded(key -> Optional.ofNullable(aiSettings.get(key)));
      aiParts.add(model);
      var reader = new PdfAndTextReader();
      var index = new LuceneCourseKnowledge(reader, raft.store(i), store);
      knowledge.add(index);
      var upkeep = new KnowledgeUpkeep(index, raft.store(i), c.nodeId());
      aiParts.add(upkeep);
      raft.stateMachine(i).addAppliedListener(upkeep::applied);
      upkeep.rebuild();
      apps.add(
          new LmsApplication(
              raft.gateway(i),
              raft.store(i),
              new LmsStateMachine(raft.store(i)),
              store,
              hasher,
              Clock.systemUTC(),
              Duration.ofHours(8),
              config.maxUploadBytes(),
              model,
              index,
              reader));
    }
  }

  public RatisCluster raft() {
    return raft;
  }

  /** The Ollama stand-in every node's assistant talks to. */
  public OllamaStandIn ollama() {
    return ollama;
  }

  /** Node {@code node}'s course knowledge, which it indexes in the background. */
  public LuceneCourseKnowledge knowledge(int node) {
    return knowledge.get(node);
  }

  public LmsApplication app(int node) {
    return apps.get(node);
  }

  public ReplicatedBlobStore blobs(int node) {
    return blobs.get(node);
  }

  /**
   * Waits until every node has applied everything committed so far: what a client does by passing
   * the index of its last write (read-your-writes) before reading on another node.
   */
  public void sync() {
    raft.awaitAllApplied(raft.maxAppliedIndex(), Duration.ofSeconds(10));
  }

  /** Signs in on {@code node} and returns the actor. */
  public Actor signIn(int node, String username, String password) {
    return app(node).accounts().signIn(username, password.toCharArray()).actor();
  }

  public Actor admin() {
    return signIn(0, "admin", ADMIN_PASSWORD);
  }

  /** Creates a user with {@link #PASSWORD} and signs them in on node 0. */
  public Actor newUser(String username, Role role) {
    app(0)
        .accounts()
        .createUser(admin(), username, "User " + username, role, PASSWORD.toCharArray());
    return signIn(0, username, PASSWORD);
  }

  @Override
  public void close() {
    for (NodeGrpcServer s : servers) {
      s.stop();
    }
    for (ReplicatedBlobStore b : blobs) {
      b.close();
    }
    for (PeerChannels p : channels) {
      p.close();
    }
    raft.close();
    for (AutoCloseable part : aiParts) {
      try {
        part.close();
      } catch (Exception e) {
        // closing a test cluster: nothing left to protect
      }
    }
    ollama.close();
  }
}

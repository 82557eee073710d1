package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.infrastructure.raft.LmsRatisStateMachine;
import org.lms.infrastructure.raft.RatisClusterStatus;
import org.lms.infrastructure.raft.RatisCommandGateway;
import org.lms.infrastructure.raft.RatisNode;
import org.lms.infrastructure.raft.RatisSettings;
import org.lms.infrastructure.raft.SnapshotSeed;

/**
 * Three real Ratis peers in this JVM, each with its own data directory under one temporary
 * directory, its own in-memory MongoDB database and its own loopback port. Peers can be killed
 * (their Raft server closed) and restarted on the same directories, optionally with a wiped
 * database or a wiped data directory. Close it to stop everything and delete the files.
 */
public final class RatisCluster implements AutoCloseable {

  /** What a restarted peer loses, as if its disk or database had been replaced. */
  public enum Wipe {
    /** A plain restart: the Raft log, snapshots and database are kept. */
    NOTHING,
    /** A new, empty database; the Raft directory (log and snapshots) is kept. */
    DATABASE,
    /** A new, empty database and an empty Raft directory: a brand-new disk. */
    EVERYTHING
  }

  /** Small enough that a test of a few hundred writes sees snapshots and a purged log. */
  public static final long SMALL_SNAPSHOT_THRESHOLD = 20;

  private static final int SIZE = 3;

  /**
   * Ratis logs every vote, retry and purge at INFO (thousands of lines per test); warnings stay.
   * Strong references: JUL forgets the levels of loggers that are garbage collected.
   */
  private static final List<Logger> QUIET = List.of(quiet("org.apache.ratis", Level.WARNING));

  private final Path root;
  private final MongoFixture mongo = new MongoFixture();
  private final RatisSettings settings;
  private final List<Peer> peers = new ArrayList<>();

  /** What each peer's new Raft storage is seeded from at its first start (a restore), if set. */
  private Function<NodeConfig, SnapshotSeed> seeds;

  private RatisCluster(
      long snapshotThreshold, Duration electionMin, Duration electionMax, RatisSettings settings)
      throws IOException {
    this.root = Files.createTempDirectory("lms-ratis-");
    this.settings = settings;
    Map<String, String> addresses = new LinkedHashMap<>();
    int[] ports = FreePorts.loopback(SIZE);
    for (int i = 0; i < SIZE; i++) {
      addresses.put("n" + (i + 1), "127.0.0.1:" + ports[i]);
    }
    for (String id : addresses.keySet()) {
      var config =
          new NodeConfig(
              id,
              root.resolve(id),
              root.resolve(id).resolve("files"),
              addresses,
              Map.of(),
              0,
              "test-cluster-secret",
              NodeConfig.DEFAULT_MAX_UPLOAD_BYTES,
              Optional.empty(),
              electionMin,
              electionMax,
              snapshotThreshold,
              // segments of 4 KB hold a few dozen entries: purging after a snapshot drops some
              4096);
      peers.add(new Peer(config, mongo.newDatabaseName()));
    }
  }

  /** Starts three peers that snapshot every {@code snapshotThreshold} log entries. */
  public static RatisCluster start(long snapshotThreshold) {
    return start(snapshotThreshold, RatisSettings.defaults());
  }

  /** Starts three peers with election timeouts of 1-2 s, as in production. */
  public static RatisCluster start(long snapshotThreshold, RatisSettings settings) {
    return start(snapshotThreshold, Duration.ofSeconds(1), Duration.ofSeconds(2), settings);
  }

  /** Starts three peers with the given snapshot threshold, election timeouts and settings. */
  public static RatisCluster start(
      long snapshotThreshold, Duration electionMin, Duration electionMax, RatisSettings settings) {
    return start(snapshotThreshold, electionMin, electionMax, settings, null);
  }

  /**
   * Starts three new peers, each seeded at its first start by the seed {@code seeds} gives for its
   * configuration (its data and file directories are empty then): a cluster restored from a backup.
   */
  public static RatisCluster startSeeded(
      long snapshotThreshold, Function<NodeConfig, SnapshotSeed> seeds) {
    return start(
        snapshotThreshold,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        RatisSettings.defaults(),
        seeds);
  }

  private static RatisCluster start(
      long snapshotThreshold,
      Duration electionMin,
      Duration electionMax,
      RatisSettings settings,
      Function<NodeConfig, SnapshotSeed> seeds) {
    RatisCluster cluster = null;
    try {
      cluster = new RatisCluster(snapshotThreshold, electionMin, electionMax, settings);
      cluster.seeds = seeds;
      for (int i = 0; i < SIZE; i++) {
        cluster.peers.get(i).start(cluster);
      }
      return cluster;
    } catch (IOException | RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public int size() {
    return SIZE;
  }

  public RatisNode node(int i) {
    return running(i).node;
  }

  public RatisCommandGateway gateway(int i) {
    return running(i).node.gateway();
  }

  public RatisClusterStatus status(int i) {
    return running(i).node.status();
  }

  public LmsRatisStateMachine stateMachine(int i) {
    return running(i).node.stateMachine();
  }

  /** The store of peer {@code i}; it stays readable while the peer is killed. */
  public MongoStateStore store(int i) {
    return peers.get(i).store;
  }

  public NodeConfig config(int i) {
    return peers.get(i).config;
  }

  public boolean isRunning(int i) {
    return peers.get(i).node != null;
  }

  /** Indexes of the peers whose Raft server runs. */
  public List<Integer> running() {
    List<Integer> result = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      if (isRunning(i)) {
        result.add(i);
      }
    }
    return result;
  }

  /** Closes peer {@code i}'s Raft client and server; its directories and database stay. */
  public void kill(int i) {
    Peer peer = running(i);
    peer.node.close();
    peer.node = null;
  }

  /** Restarts a killed peer on its directories and port, after wiping what {@code wipe} says. */
  public void restart(int i, Wipe wipe) {
    Peer peer = peers.get(i);
    if (peer.node != null) {
      throw new IllegalStateException("peer " + i + " is running; kill it first");
    }
    try {
      if (wipe != Wipe.NOTHING) {
        peer.database = mongo.newDatabaseName();
      }
      if (wipe == Wipe.EVERYTHING) {
        deleteRecursively(peer.config.dataDir());
      }
      peer.start(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The index of the peer that sees itself as leader, if exactly one does. */
  public OptionalInt leaderIndex() {
    OptionalInt leader = OptionalInt.empty();
    for (int i : running()) {
      NodeStatus s = status(i).local();
      if ("LEADER".equals(s.role())) {
        if (leader.isPresent()) {
          return OptionalInt.empty();
        }
        leader = OptionalInt.of(i);
      }
    }
    return leader;
  }

  /**
   * Waits until one running peer leads and every running peer follows it.
   *
   * @return the leader's index
   */
  public int awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      OptionalInt leader = leaderIndex();
      if (leader.isPresent()) {
        String leaderId = config(leader.getAsInt()).nodeId();
        boolean agreed =
            running().stream()
                .allMatch(i -> status(i).local().leaderId().equals(Optional.of(leaderId)));
        if (agreed) {
          return leader.getAsInt();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no agreed leader within " + timeout + ": " + statuses());
      }
      sleep(50);
    }
  }

  /** Any running peer that is not the leader. */
  public int anyFollower(Duration timeout) {
    int leader = awaitLeader(timeout);
    return running().stream().filter(i -> i != leader).findFirst().orElseThrow();
  }

  /** Waits until every running peer has applied at least {@code index}. */
  public void awaitAllApplied(long index, Duration timeout) {
    for (int i : running()) {
      gateway(i).awaitApplied(index, timeout);
    }
  }

  /** The highest applied index among the running peers. */
  public long maxAppliedIndex() {
    return running().stream().mapToLong(i -> gateway(i).appliedIndex()).max().orElse(0);
  }

  /** Each running peer's state digest, in peer order. */
  public List<String> digests() {
    return running().stream().map(i -> store(i).digest()).toList();
  }

  public List<NodeStatus> statuses() {
    return running().stream().map(i -> status(i).local()).toList();
  }

  @Override
  public void close() {
    for (Peer peer : peers) {
      if (peer.node != null) {
        try {
          peer.node.close();
        } catch (RuntimeException e) {
          // keep closing the others
        }
        peer.node = null;
      }
    }
    mongo.close();
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      // a temporary directory left behind is not worth failing a test for
    }
  }

  private Peer running(int i) {
    Peer peer = peers.get(i);
    if (peer.node == null) {
      throw new IllegalStateException("peer " + i + " is not running");
    }
    return peer;
  }

  private static Logger quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    return logger;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** One peer: fixed config and port, a database that a wipe replaces, a node while running. */
  private static final class Peer {
    final NodeConfig config;
    String database;
    MongoStateStore store;
    RatisNode node;

    Peer(NodeConfig config, String database) {
      this.config = config;
      this.database = database;
    }

    void start(RatisCluster cluster) throws IOException {
      store = cluster.mongo.openStore(database);
      var started = new RatisNode(config, store, new LmsStateMachine(store), cluster.settings);
      if (cluster.seeds != null) {
        started.seedWith(cluster.seeds.apply(config));
      }
      try {
        started.start();
      } catch (IOException | RuntimeException e) {
        started.close();
        throw e;
      }
      node = started;
    }
  }
}

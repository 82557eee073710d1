package org.lms.infrastructure.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.lms.application.LmsApplication;
import org.lms.application.port.BlobStore;
import org.lms.application.port.ClusterMembership;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.CommandGateway;
import org.lms.application.port.LanguageModel;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.Command;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.model.User;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.LmsStateMachine;
import org.lms.domain.state.StateStore;
import org.lms.infrastructure.backup.ArchiveSeed;
import org.lms.infrastructure.backup.NodeBackup;
import org.lms.infrastructure.blobs.BlobReplicationService;
import org.lms.infrastructure.blobs.FileBlobStore;
import org.lms.infrastructure.blobs.ReplicatedBlobStore;
import org.lms.infrastructure.config.LmsVersion;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.grpc.ClusterSecretInterceptor;
import org.lms.infrastructure.grpc.NodeGrpcServer;
import org.lms.infrastructure.grpc.PeerChannels;
import org.lms.infrastructure.knowledge.LuceneCourseKnowledge;
import org.lms.infrastructure.knowledge.PdfAndTextReader;
import org.lms.infrastructure.metrics.MeteredCommandGateway;
import org.lms.infrastructure.metrics.MeteredLanguageModel;
import org.lms.infrastructure.metrics.NodeMetrics;
import org.lms.infrastructure.mongo.MongoConnection;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.infrastructure.raft.RatisNode;
import org.lms.infrastructure.security.Pbkdf2PasswordHasher;

/**
 * One LMS node inside Payara: when the application starts it opens the node's MongoDB, starts the
 * blob store and the gRPC server, then joins the Raft group; when it stops it closes them in
 * reverse. It offers the application's ports as CDI beans.
 *
 * <p>Started from an {@code @Initialized(ApplicationScoped.class)} observer on purpose: that runs
 * on the deploy thread, whose context class loader is the web application's, which Ratis's
 * reflective RPC factory, its metrics {@code ServiceLoader} and the shaded Netty native library
 * need (their threads inherit it). The Raft server itself starts on a thread of its own, with that
 * loader, once the container has finished starting the application ({@link ContainerStart}). Its
 * lifecycle lines go to standard output in the log's format ({@link NodeConsole}), because Java's
 * logging is often closed already when a SIGTERM stops the JVM.
 */
@ApplicationScoped
public class LmsNode {

  /**
   * The key naming a backup archive a node of a new cluster starts from ({@code ./lms restore} sets
   * it); ignored by a node whose Raft storage already holds anything.
   */
  static final String RESTORE_FROM = "LMS_RESTORE_FROM";

  /** How long a node's first admin bootstrap keeps trying to find a leader before giving up. */
  private static final Duration BOOTSTRAP_PATIENCE = Duration.ofMinutes(30);

  private static final Duration BOOTSTRAP_POLL = Duration.ofSeconds(1);

  /** How long Raft waits for the container to finish starting the application. */
  private static final Duration CONTAINER_START_PATIENCE = Duration.ofMinutes(2);

  private static final long DEFAULT_SESSION_SWEEP_MINUTES = 15;

  /** How long a stopping leader waits for a follower to take over, by default. */
  private static final Duration DEFAULT_LEADER_HANDOFF = Duration.ofSeconds(5);

  private static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);

  @Inject NodeConfig config;
  @Inject Config mpConfig;
  @Inject @Any Instance<NodeGrpcContributor> contributors;
  @Inject LanguageModel languageModel;

  /** The application's registry, published at {@code /metrics} by Payara. */
  @Inject MetricRegistry metricRegistry;

  private final NodeConsole console = NodeConsole.of(LmsNode.class);

  /** What to close on shutdown, last opened first. */
  private final Deque<Stoppable> opened = new ArrayDeque<>();

  private volatile Running running;

  /** Everything a started node offers; present between start and stop. */
  private record Running(
      MongoStateStore store,
      RatisNode raft,
      CommandGateway gateway,
      ReplicatedBlobStore blobs,
      NodeGrpcServer grpc,
      LmsApplication application,
      NodeBackup backup) {}

  @FunctionalInterface
  private interface Stoppable {
    void stop() throws Exception;
  }

  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    long started = System.nanoTime();
    try {
      running = open();
      // inside the try: a bad sweep setting must close what open() started, like any other failure
      ScheduledExecutorService chores = startChores();
      startSessionSweep(chores);
      startOnceDeployed(running, chores, Thread.currentThread());
    } catch (IOException | RuntimeException e) {
      running = null;
      stopAll();
      throw new IllegalStateException("node " + config.nodeId() + " could not start: " + e, e);
    }
    console.info(
        String.format(
            "LMS node %s started in %d ms: Raft %s, gRPC %d, data %s",
            config.nodeId(),
            (System.nanoTime() - started) / 1_000_000,
            config.raftPeers().get(config.nodeId()),
            config.grpcPort(),
            config.dataDir()));
  }

  private Running open() throws IOException {
    MongoConnection mongo = MongoConnection.open(config);
    opened.push(mongo::close);
    var store = new MongoStateStore(mongo.client(), config.databaseName(), mongo.durabilityPoint());
    var machine = new LmsStateMachine(store);
    var metrics = new NodeMetrics(metricRegistry);

    // built, not started: its gateway, status and members exist now, for the use cases, the API
    // and the blob store; closed after the blob store and the peer channels (pushed below them)
    var raft = new RatisNode(config, store, machine);
    var files = new FileBlobStore(config.fileStorageDir());
    // the peers are the members of the replicated configuration, which may change while this runs
    var peers = new PeerChannels(config.nodeId(), raft.directory(), config.clusterSecret());
    opened.push(peers::close);
    var blobs =
        new ReplicatedBlobStore(
            config, files, peers, ReplicatedBlobStore.DEFAULT_REPLICATION_TIMEOUT, metrics);
    opened.push(blobs::close);
    raft.stateMachine().addAppliedListener((command, result) -> fetchBlobs(blobs, command, result));
    raft.stateMachine().addAppliedListener(metrics::applied);
    raft.stateMachine().addLeaderListener(metrics::leaderChanged);
    metrics.watchRaft(raft.status()::local);
    CommandGateway gateway = new MeteredCommandGateway(raft.gateway(), metrics);
    opened.push(raft::close);
    var reader = new PdfAndTextReader();
    var knowledge = new LuceneCourseKnowledge(reader, store, blobs);
    var upkeep = new KnowledgeUpkeep(knowledge, store, config.nodeId());
    opened.push(upkeep::close);
    // after the blob fetch listener, so a material's bytes are here when it is indexed
    raft.stateMachine().addAppliedListener(upkeep::applied);
    // a store replaced by a snapshot (a restore, or one sent by the leader) is indexed anew
    raft.stateMachine().addRestoredListener(upkeep::rebuild);
    upkeep.rebuild();
    Optional<String> restoreFrom = mpConfig.getOptionalValue(RESTORE_FROM, String.class);
    if (restoreFrom.isPresent() && !restoreFrom.get().isBlank()) {
      // used only if the Raft storage turns out to be new; see ArchiveSeed
      raft.seedWith(
          new ArchiveSeed(
              Path.of(restoreFrom.get().strip()).toAbsolutePath(),
              config.dataDir().resolve("restore"),
              files,
              raft.groupId()));
    }
    var backup =
        new NodeBackup(
            config.nodeId(), raft, files, blobs, LmsVersion.current(), Clock.systemUTC());

    var application =
        new LmsApplication(
            gateway,
            store,
            machine,
            blobs,
            new Pbkdf2PasswordHasher(),
            Clock.systemUTC(),
            sessionTtl(),
            config.maxUploadBytes(),
            new MeteredLanguageModel(languageModel, metrics),
            knowledge,
            reader);

    // bound to the host of its own address: 127.0.0.1 keeps a local cluster on loopback, a
    // container's own host name binds its network interface
    var grpcBuilder =
        NodeGrpcServer.builder(
                NodeConfig.hostOf(config.grpcPeers().get(config.nodeId())), config.grpcPort())
            .addService(
                new BlobReplicationService(files, config.maxUploadBytes()),
                new ClusterSecretInterceptor(config.clusterSecret()));
    var services = new NodeServices(config, application, gateway, raft.status());
    for (NodeGrpcContributor contributor : contributors) {
      contributor.services(services).forEach(grpcBuilder::addService);
      opened.push(contributor::close);
    }
    // built here, started by startOnceDeployed, before Raft: peers can fetch blobs as soon as
    // entries are applied
    var grpc = grpcBuilder.build();
    opened.push(grpc::stop);
    // the first thing a graceful stop does: a leader hands leadership to a follower while this
    // node still serves its calls in flight, which its Raft client then sends to the new leader
    Duration handOff = leaderHandOff();
    if (!handOff.isZero()) {
      opened.push(
          () -> {
            String outcome = raft.handOffLeadership(handOff);
            if (!RatisNode.NOT_LEADER.equals(outcome)) {
              console.info("LMS node " + config.nodeId() + ": " + outcome);
            }
          });
    }

    // built here, started by startOnceDeployed
    return new Running(store, raft, gateway, blobs, grpc, application, backup);
  }

  /**
   * Starts the gRPC server, then the Raft server, then the first admin's bootstrap, once the
   * container has finished starting the application (see {@link ContainerStart}): Payara closes the
   * application's jars as its last step, and a thread that loads a class at that instant fails. The
   * fault-injection suite saw a restarted node's apply thread, busy catching up, die of the {@code
   * LinkageError} and leave the node out of the group; the rolling-restart test saw a gRPC call
   * that arrived at that instant fail the static initialisation of a Guava class the gRPC server
   * needs for every call, after which the node answered every call with INTERNAL until it was
   * restarted. The starter thread carries the deploy thread's context class loader, the web
   * application's, which Ratis's RPC factory, its metrics and the shaded Netty need. Until Raft
   * runs, the node reports role {@code DOWN} and is not ready; a node whose gRPC server cannot
   * start does not start Raft either, so it stays not ready.
   */
  private void startOnceDeployed(
      Running node, ScheduledExecutorService chores, Thread deployThread) {
    Thread starter =
        new Thread(
            () -> {
              try {
                if (!ContainerStart.awaitFinished(deployThread, CONTAINER_START_PATIENCE)) {
                  console.info(
                      "LMS node "
                          + config.nodeId()
                          + ": the container still starts the application after "
                          + CONTAINER_START_PATIENCE
                          + "; starting gRPC and Raft anyway");
                }
                node.grpc().start();
                node.raft().start();
                startBootstrap(chores);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException | RuntimeException e) {
                // the node stays up without Raft: not ready, role DOWN; an operator must look
                console.warning(
                    "LMS node " + config.nodeId() + ": gRPC or Raft did not start: " + e, e);
              }
            },
            "lms-start");
    starter.setContextClassLoader(deployThread.getContextClassLoader());
    starter.setDaemon(true);
    starter.start();
  }

  /** A node missing a blob that a command just referenced (it was down) fetches it now. */
  private static void fetchBlobs(ReplicatedBlobStore blobs, Command command, CommandResult result) {
    if (result.rejection().isPresent()) {
      return;
    }
    String sha256 = null;
    if (command instanceof AddMaterial c) {
      sha256 = c.sha256();
    } else if (command instanceof SubmitAssignment c) {
      sha256 = c.sha256();
    }
    if (sha256 != null) {
      blobs.fetchMissing(List.of(sha256)); // one stat when the blob is here, as it usually is
    }
  }

  /**
   * {@code LMS_LEADER_HANDOFF_MS}: how long a stopping leader waits for a follower to take over.
   */
  private Duration leaderHandOff() {
    long millis =
        mpConfig
            .getOptionalValue("LMS_LEADER_HANDOFF_MS", Long.class)
            .orElse(DEFAULT_LEADER_HANDOFF.toMillis());
    if (millis < 0) {
      throw new IllegalArgumentException(
          "LMS_LEADER_HANDOFF_MS is " + millis + ", expected 0 (off) or more");
    }
    return Duration.ofMillis(millis);
  }

  private Duration sessionTtl() {
    return mpConfig
        .getOptionalValue("LMS_SESSION_TTL_MINUTES", Long.class)
        .map(Duration::ofMinutes)
        .orElse(DEFAULT_SESSION_TTL);
  }

  /** One daemon thread for the node's background chores: the admin bootstrap, the session sweep. */
  private ScheduledExecutorService startChores() {
    ScheduledExecutorService chores =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lms-node-chores");
              t.setDaemon(true);
              return t;
            });
    opened.push(chores::shutdownNow);
    return chores;
  }

  /**
   * Expired sessions are refused by every node on its own clock already; the sweep removes them
   * from the replicated state. Only the leader proposes it, so the log gets one sweep per period.
   */
  private void startSessionSweep(ScheduledExecutorService chores) {
    long minutes =
        mpConfig
            .getOptionalValue("LMS_SESSION_SWEEP_MINUTES", Long.class)
            .orElse(DEFAULT_SESSION_SWEEP_MINUTES);
    chores.scheduleWithFixedDelay(
        () -> {
          Running node = running;
          try {
            if (node != null && node.raft().status().local().isLeader()) {
              node.application().accounts().expireSessions();
            }
          } catch (RuntimeException e) {
            console.warning("LMS node " + config.nodeId() + ": session sweep failed: " + e);
          }
        },
        minutes,
        minutes,
        TimeUnit.MINUTES);
  }

  /**
   * On a new cluster, creates the first admin from {@code LMS_ADMIN_PASSWORD}. Every node tries,
   * but only the leader proposes and only while the cluster has no users, so it happens once; a
   * later start of an existing cluster finds users and does nothing.
   */
  private void startBootstrap(ScheduledExecutorService chores) {
    Optional<String> password = mpConfig.getOptionalValue("LMS_ADMIN_PASSWORD", String.class);
    if (password.isPresent()) {
      long deadline = System.nanoTime() + BOOTSTRAP_PATIENCE.toNanos();
      chores.execute(() -> bootstrapAdmin(chores, password.get(), deadline));
    }
  }

  /** One attempt; until the matter is settled, and while patience lasts, another a poll later. */
  private void bootstrapAdmin(ScheduledExecutorService chores, String password, long deadline) {
    if (!bootstrapSettled(password) && System.nanoTime() < deadline) {
      chores.schedule(
          () -> bootstrapAdmin(chores, password, deadline),
          BOOTSTRAP_POLL.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Whether the first admin needs no more attempts: created, found, or the node stopped. */
  private boolean bootstrapSettled(String password) {
    Running node = running;
    if (node == null) {
      return true;
    }
    try {
      ClusterStatus.NodeStatus status = node.raft().status().local();
      if (!status.ready() || status.leaderId().isEmpty()) {
        return false;
      }
      if (node.store().count(User.class) > 0) {
        return true; // an existing cluster, or another node did it
      }
      if (!status.isLeader()) {
        return false;
      }
      boolean created =
          node.application().accounts().bootstrapAdmin("admin", password.toCharArray());
      console.info(
          created
              ? "LMS node " + config.nodeId() + " created the first admin user 'admin'"
              : "LMS node " + config.nodeId() + ": the cluster already has users");
      return true;
    } catch (RuntimeException e) {
      // no quorum yet or leadership moved mid-way: the next round asks again
      console.info("LMS node " + config.nodeId() + ": admin bootstrap will retry: " + e);
      return false;
    }
  }

  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
    long stopping = System.nanoTime();
    console.info("LMS node " + config.nodeId() + " stopping");
    running = null;
    stopAll();
    console.info(
        String.format(
            "LMS node %s stopped in %d ms",
            config.nodeId(), (System.nanoTime() - stopping) / 1_000_000));
  }

  private synchronized void stopAll() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().stop();
      } catch (Exception e) {
        console.warning("LMS node " + config.nodeId() + ": stopping a part failed: " + e);
      }
    }
  }

  private Running require() {
    Running node = running;
    if (node == null) {
      throw new IllegalStateException("node " + config.nodeId() + " is not running");
    }
    return node;
  }

  @Produces
  @ApplicationScoped
  CommandGateway commandGateway() {
    return require().gateway();
  }

  @Produces
  @ApplicationScoped
  ClusterStatus clusterStatus() {
    return require().raft().status();
  }

  /** The group's members and the operator's change to them. */
  @Produces
  @ApplicationScoped
  ClusterMembership clusterMembership() {
    return require().raft().membership();
  }

  @Produces
  @ApplicationScoped
  BlobStore blobStore() {
    return require().blobs();
  }

  /** The node's own store, for queries; writes go through the {@link CommandGateway} only. */
  @Produces
  @ApplicationScoped
  StateStore stateStore() {
    return require().store();
  }

  /** The use cases; dependent scope because the class is final (Weld cannot proxy it). */
  @Produces
  LmsApplication application() {
    return require().application();
  }

  /**
   * This node's state digest with the applied index it belongs to, read together (the store applies
   * nothing in between), for operators and the process-level tests.
   */
  public StateDigest stateDigest() {
    MongoStateStore store = require().store();
    synchronized (store) {
      return new StateDigest(config.nodeId(), store.appliedIndex(), store.digest());
    }
  }

  /** Takes backups of this node's state ({@code GET /api/admin/backup}). */
  public NodeBackup backup() {
    return require().backup();
  }

  /** A node's state digest (SHA-256 over its LMS collections) at an applied index. */
  public record StateDigest(String nodeId, long appliedIndex, String digest) {}
}

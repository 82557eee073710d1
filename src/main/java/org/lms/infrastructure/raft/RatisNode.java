package org.lms.infrastructure.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.CallId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.LifeCycle;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership in the LMS's Raft group: its Ratis server (log, snapshots, elections) over
 * the node's store, and the client its gateway proposes through. Construct, {@link #start()}, then
 * hand {@link #gateway()}, {@link #status()}, {@link #membership()} and {@link #directory()} to the
 * application; {@link #close()} on shutdown.
 *
 * <p>Who the members are is the replicated Raft configuration's business once this node's storage
 * holds one (Ratis recovers it from the storage and the log and ignores the group it is started
 * with); the configured peers only form a new cluster's group and are the first ones asked. A node
 * started to join an existing group ({@link NodeConfig#raftJoin()}) starts with no configuration at
 * all and waits for the leader to add it (docs/adr/0011-membership-changes.md).
 */
public final class RatisNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RatisNode.class);

  /** What {@link #handOffLeadership} says when there was nothing to hand over. */
  public static final String NOT_LEADER = "not the leader";

  /** How long removing or adding the division may take before a restart counts as failed. */
  private static final Duration GROUP_CHANGE_WAIT = Duration.ofSeconds(60);

  private final NodeConfig config;
  private final RatisSettings settings;
  private final RaftPeerId peerId;

  /** The configured peers, in id order: the members while this node knows no configuration. */
  private final RaftGroup group;

  /**
   * The group the server starts with: the configured one, or for a joining node the group id alone,
   * so that it waits for the leader instead of standing for election among peers that do not know
   * it (whose leader would tell it to shut down).
   */
  private final RaftGroup startGroup;

  /** The division's state machine; replaced by a successor when the division is restarted. */
  private final AtomicReference<LmsRatisStateMachine> stateMachine;

  private final RaftClient client;

  /** Asks the peers to describe themselves; apart from {@link #client}, which proposes. */
  private final RaftClient peerStatusClient;

  private final RatisCommandGateway gateway;
  private final RatisClusterStatus status;
  private final RatisMemberDirectory directory;
  private final RatisMembership membership;
  private final AtomicLong divisionRestarts = new AtomicLong();
  private volatile RaftServer server;
  private DivisionWatchdog watchdog;
  private boolean closed;

  public RatisNode(NodeConfig config, MongoStateStore store, LmsStateMachine machine) {
    this(config, store, machine, RatisSettings.defaults());
  }

  public RatisNode(
      NodeConfig config, MongoStateStore store, LmsStateMachine machine, RatisSettings settings) {
    this.config = Objects.requireNonNull(config, "config");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.peerId = RaftPeerId.valueOf(config.nodeId());
    this.group = group(settings, config.raftPeers());
    this.startGroup = config.raftJoin() ? RaftGroup.valueOf(group.getGroupId()) : group;
    this.stateMachine = new AtomicReference<>(new LmsRatisStateMachine(machine, store));
    Optional.ofNullable(config.grpcPeers().get(config.nodeId()))
        .ifPresent(stateMachine.get()::advertiseGrpcAddress);
    this.client =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(group)
            .setLeaderId(peerId)
            .setProperties(settings.clientProperties())
            .setRetryPolicy(settings.clientRetryPolicy())
            .build();
    this.gateway =
        new RatisCommandGateway(
            client,
            peerId,
            stateMachine.get().appliedIndexWaiter(),
            settings.applyWait(),
            settings.clientRetryBudget());
    this.peerStatusClient =
        RaftClient.newBuilder()
            .setClientId(ClientId.randomId())
            .setRaftGroup(group)
            .setProperties(settings.peerStatusClientProperties())
            .setRetryPolicy(RetryPolicies.noRetry())
            .build();
    this.status =
        new RatisClusterStatus(
            config.nodeId(),
            group.getGroupId(),
            () -> server,
            stateMachine.get().appliedIndexWaiter(),
            this::members,
            peerStatusClient,
            settings.peerStatusTimeout());
    this.directory = new RatisMemberDirectory(config, this::members, status);
    // on the apply thread: the questions are sent without waiting for their answers
    stateMachine.get().addConfigurationListener(directory::learnUnknownAddresses);
    this.membership = new RatisMembership(this, status, directory, settings);
  }

  /** The group of all configured peers, in id order. */
  static RaftGroup group(RatisSettings settings, Map<String, String> peers) {
    List<RaftPeer> members =
        peers.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
            .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build())
            .toList();
    return RaftGroup.valueOf(RaftGroupId.valueOf(settings.groupId()), members);
  }

  /**
   * Starts the Raft server: recovers the log and the latest snapshot from {@link
   * NodeConfig#raftDir()} (an empty directory is formatted on first start), brings the store up to
   * the snapshot, and joins the group. Returns once the server runs; the leader may not be known
   * yet.
   */
  public synchronized void start() throws IOException {
    if (closed) {
      throw new IllegalStateException("node " + config.nodeId() + " was closed");
    }
    if (server != null) {
      return;
    }
    String address = config.raftPeers().get(config.nodeId());
    String host = NodeConfig.hostOf(address);
    int port = NodeConfig.portOf(address);
    Files.createDirectories(config.raftDir());
    RaftServer built =
        RaftServer.newBuilder()
            .setServerId(peerId)
            .setGroup(startGroup)
            .setStateMachineRegistry(groupId -> unopenedStateMachine())
            .setProperties(settings.serverProperties(config, host, port))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .build();
    try {
      built.start();
    } catch (IOException | RuntimeException e) {
      closeQuietly(built);
      throw e;
    }
    server = built;
    watchdog =
        DivisionWatchdog.start(
            config.nodeId(),
            new DivisionWatchdog.Division() {
              @Override
              public DivisionWatchdog.Observation observe() throws IOException {
                return RatisNode.this.observe();
              }

              @Override
              public void restart(String reason) throws IOException {
                restartDivision(reason);
              }
            },
            config.electionTimeoutMax());
    LOG.info(
        "Raft server {} started at {} in group {} of {}",
        peerId,
        address,
        group.getGroupId(),
        configuration().isPresent() || !config.raftJoin()
            ? members()
            : "no members yet: it waits for the leader to add it");
    List<String> replicated = memberIds(members());
    List<String> configured = memberIds(group.getPeers());
    directory.learnUnknownAddresses();
    if (configuration().isPresent() && !replicated.equals(configured)) {
      LOG.info(
          "The replicated Raft configuration names {}, LMS_RAFT_PEERS named {}: the replicated one"
              + " applies",
          replicated,
          configured);
    }
  }

  /**
   * The members of the group as this node knows them now, in id order: the current members of the
   * replicated configuration (the new ones while a change is being committed), or the configured
   * peers while this node has no configuration (its server not running, or a joining node not yet
   * added).
   */
  public List<RaftPeer> members() {
    return sorted(configuration().map(RaftConfiguration::getCurrentPeers).orElse(group.getPeers()));
  }

  /**
   * The replicated configuration itself, or empty while this node has none: its server not running,
   * its division being restarted, or a joining node not yet added.
   */
  Optional<RaftConfiguration> configuration() {
    RaftServer running = server;
    if (running == null) {
      return Optional.empty();
    }
    try {
      RaftConfiguration conf = running.getDivision(group.getGroupId()).getRaftConf();
      return conf.getCurrentPeers().isEmpty() ? Optional.empty() : Optional.of(conf);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code peers} in id order. */
  static List<RaftPeer> sorted(Collection<RaftPeer> peers) {
    return peers.stream().sorted(Comparator.comparing(p -> p.getId().toString())).toList();
  }

  /** The ids of {@code peers}, sorted. */
  static List<String> memberIds(Collection<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).sorted().toList();
  }

  /** The group's id, the same on every node of the cluster. */
  RaftGroupId raftGroupId() {
    return group.getGroupId();
  }

  NodeConfig config() {
    return config;
  }

  /**
   * Starts this node from {@code seed}'s snapshot if its Raft storage turns out to be new (a
   * restore): see {@link LmsRatisStateMachine#seedWith}. Call before {@link #start()}.
   */
  public void seedWith(SnapshotSeed seed) {
    stateMachine.get().seedWith(seed);
  }

  /** The id of the Raft group this node belongs to, as the UUID a backup's manifest records. */
  public java.util.UUID groupId() {
    return group.getGroupId().getUuid();
  }

  /**
   * A snapshot file of this node's state that is at most {@code gap} entries old, the one it
   * already has if that is recent enough: Ratis's own snapshot request ({@code SnapshotManagement}
   * with a creation gap), answered by this node's apply thread, so the file holds the store at one
   * applied index. Writes elsewhere go on; this node applies nothing while it writes the file.
   *
   * @throws IOException when the snapshot could not be taken within {@code timeout} (e.g. a
   *     snapshot from the leader is being installed)
   */
  public SnapshotFile snapshot(long gap, Duration timeout) throws IOException {
    RaftServer running = server;
    if (running == null) {
      throw new IOException("the Raft server of " + peerId + " is not running");
    }
    RaftClientReply reply;
    try {
      reply =
          running
              .snapshotManagementAsync(
                  SnapshotManagementRequest.newCreate(
                      ClientId.randomId(),
                      peerId,
                      group.getGroupId(),
                      0,
                      timeout.toMillis(),
                      Math.max(1, gap)))
              .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while taking a snapshot", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the snapshot was not taken within " + timeout + ": " + e, e);
    }
    if (!reply.isSuccess()) {
      throw new IOException("the snapshot was not taken: " + reply.getException());
    }
    var latest = stateMachine.get().getLatestSnapshot();
    if (latest == null || latest.getIndex() < reply.getLogIndex() || latest.getIndex() <= 0) {
      throw new IOException(
          "Ratis reported a snapshot at index " + reply.getLogIndex() + " but there is " + latest);
    }
    var file = latest.getFiles().get(0);
    return new SnapshotFile(
        file.getPath(),
        latest.getTerm(),
        latest.getIndex(),
        file.getFileDigest() == null ? null : file.getFileDigest().toString());
  }

  /**
   * One snapshot file of this node's Ratis storage. Ratis deletes old ones as new ones are taken
   * (two are kept): open it soon; an open file stays readable after its deletion.
   *
   * @param md5 the MD5 Ratis keeps beside it (hex), or null if none was saved
   */
  public record SnapshotFile(java.nio.file.Path path, long term, long index, String md5) {}

  /** Proposes commands and offers the read barriers; usable once {@link #start()} returned. */
  public RatisCommandGateway gateway() {
    return gateway;
  }

  public RatisClusterStatus status() {
    return status;
  }

  /** The members and the operator's change to them (replacing a dead member). */
  public RatisMembership membership() {
    return membership;
  }

  /** The current members and their gRPC addresses, for blob replication. */
  public RatisMemberDirectory directory() {
    return directory;
  }

  /**
   * The Ratis state machine, e.g. to register an {@link LmsRatisStateMachine.AppliedListener}
   * (listeners and the applied index carry over to the successor of a restarted division).
   */
  public LmsRatisStateMachine stateMachine() {
    return stateMachine.get();
  }

  /**
   * What Ratis opens when it creates this node's division: the current state machine on first
   * start, a successor after a restart (a closed Ratis state machine cannot be opened again).
   * Called on Ratis's threads, so it takes no lock of this node's.
   */
  private LmsRatisStateMachine unopenedStateMachine() {
    return stateMachine.updateAndGet(
        current ->
            current.getLifeCycleState() == LifeCycle.State.NEW ? current : current.successor());
  }

  /**
   * Restarts this node's Raft member without restarting the process: removes the division (which
   * closes its state machine and releases its storage) and adds it again on the same storage, as a
   * node restart would. The server's RPC endpoint and this node's client stay up. Used by the
   * {@link DivisionWatchdog}.
   */
  synchronized void restartDivision(String reason) throws IOException {
    RaftServer running = server;
    if (closed || running == null) {
      return;
    }
    LOG.warn("Restarting the Raft division of {}: {}", peerId, reason);
    ClientId admin = ClientId.randomId();
    expectSuccess(
        running,
        GroupManagementRequest.newRemove(admin, peerId, 0, group.getGroupId(), false, false),
        "remove");
    addDivision(running, admin);
    divisionRestarts.incrementAndGet();
    LOG.info("Raft division of {} restarted", peerId);
  }

  /** How often this node's Raft division was restarted since the node started. */
  public long divisionRestarts() {
    return divisionRestarts.get();
  }

  /**
   * One look at the division for the watchdog, or null while there is none; a division that a
   * failed restart left removed is added again here, so the next look finds it back.
   */
  synchronized DivisionWatchdog.Observation observe() throws IOException {
    RaftServer running = server;
    if (closed || running == null) {
      return null;
    }
    for (var id : running.getGroupIds()) {
      if (id.equals(group.getGroupId())) {
        var info = running.getDivision(id).getInfo();
        return info.isAlive()
            ? DivisionWatchdog.Observation.of(info.getRoleInfoProto())
            : DivisionWatchdog.Observation.dead();
      }
    }
    LOG.warn("The Raft division of {} is missing; adding it again", peerId);
    addDivision(running, ClientId.randomId());
    return null;
  }

  /** The division itself, for tests that need Ratis's own view (e.g. its role information). */
  RaftServer.Division division() throws IOException {
    RaftServer running = server;
    if (running == null) {
      throw new IllegalStateException("node " + config.nodeId() + " is not running");
    }
    return running.getDivision(group.getGroupId());
  }

  private void addDivision(RaftServer running, ClientId admin) throws IOException {
    expectSuccess(
        running, GroupManagementRequest.newAdd(admin, peerId, 1, startGroup, false), "add");
  }

  /**
   * Runs a group change, waiting at most {@link #GROUP_CHANGE_WAIT} (a hung close stays bounded).
   */
  private void expectSuccess(RaftServer running, GroupManagementRequest request, String what)
      throws IOException {
    RaftClientReply reply;
    try {
      reply =
          running
              .groupManagementAsync(request)
              .get(GROUP_CHANGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while changing the Raft division of " + peerId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not " + what + " the Raft division of " + peerId, e);
    }
    if (!reply.isSuccess()) {
      throw new IOException(
          "could not " + what + " the Raft division of " + peerId + ": " + reply.getException());
    }
  }

  /** The first index still in this node's Raft log: above 1 once the log was purged. */
  long logStartIndex() throws IOException {
    RaftServer running = server;
    if (running == null) {
      throw new IllegalStateException("node " + config.nodeId() + " is not running");
    }
    return running.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
  }

  /**
   * When this node leads, hands leadership to the follower that answered it last, and waits until
   * that follower leads or {@code timeout} passes. A leader that simply stops leaves the group
   * without one until a follower's election timeout runs out (1-2 s, then the election), and every
   * write waits that long; a transfer takes the follower one round trip to win, once Ratis has
   * brought it up to date. Meant for a graceful stop, before {@link #close()}; nothing happens when
   * this node does not lead, no follower answered it within the lower election timeout, or the
   * transfer fails (the followers then elect a leader as after a crash).
   *
   * @return what happened, in words for the node's log; {@link #NOT_LEADER} when this node did not
   *     lead (or its Raft server did not run)
   */
  public synchronized String handOffLeadership(Duration timeout) {
    RaftServer running = server;
    if (closed || running == null) {
      return NOT_LEADER;
    }
    long started = System.nanoTime();
    RaftPeerId transferee;
    try {
      var info = running.getDivision(group.getGroupId()).getInfo();
      if (!info.isLeader()) {
        return NOT_LEADER;
      }
      // a follower answers every heartbeat (half the lower election timeout); one silent for
      // longer is likely stopping or cut off, and a transfer to it would only wait out the timeout
      long bound = config.electionTimeoutMin().toMillis();
      Optional<RaftPeerId> freshest =
          info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
              .filter(f -> f.getLastRpcElapsedTimeMs() <= bound)
              .min(Comparator.comparingLong(ServerRpcProto::getLastRpcElapsedTimeMs))
              .map(f -> RaftPeerId.valueOf(f.getId().getId()));
      if (freshest.isEmpty()) {
        return "the leader, but no follower answered within " + bound + " ms: nobody to hand to";
      }
      transferee = freshest.get();
    } catch (IOException e) {
      return "no Raft division: " + e.getMessage();
    }
    var request =
        new TransferLeadershipRequest(
            ClientId.randomId(),
            peerId,
            group.getGroupId(),
            CallId.getAndIncrement(),
            transferee,
            timeout.toMillis());
    try {
      RaftClientReply reply =
          running
              .transferLeadershipAsync(request)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      long millis = (System.nanoTime() - started) / 1_000_000;
      return reply.isSuccess()
          ? "handed leadership to " + transferee + " in " + millis + " ms"
          : "could not hand leadership to " + transferee + ": " + reply.getException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while handing leadership to " + transferee;
    } catch (IOException | ExecutionException | TimeoutException e) {
      return "could not hand leadership to " + transferee + ": " + e;
    }
  }

  /**
   * Closes the client first (no new proposals from this node), then the server, which applies what
   * is committed and takes a last snapshot. The store stays open: it belongs to the caller.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (watchdog != null) {
      watchdog.close();
    }
    for (RaftClient c : List.of(client, peerStatusClient)) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.warn("closing a Raft client of {} failed", peerId, e);
      }
    }
    RaftServer running = server;
    server = null;
    if (running != null) {
      closeQuietly(running);
      LOG.info("Raft server {} stopped", peerId);
    }
  }

  private void closeQuietly(RaftServer s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing the Raft server of {} failed", peerId, e);
    }
  }
}

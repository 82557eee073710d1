package org.lms.infrastructure.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
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
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.CallId;
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
 * hand {@link #gateway()} and {@link #status()} to the application; {@link #close()} on shutdown.
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
  private final RaftGroup group;

  /** The division's state machine; replaced by a successor when the division is restarted. */
  private final AtomicReference<LmsRatisStateMachine> stateMachine;

  private final RaftClient client;

  /** Asks the peers to describe themselves; apart from {@link #client}, which proposes. */
  private final RaftClient peerStatusClient;

  private final RatisCommandGateway gateway;
  private final RatisClusterStatus status;
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
    this.stateMachine = new AtomicReference<>(new LmsRatisStateMachine(machine, store));
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
            config.raftPeers().keySet().stream()
                .sorted()
                .filter(id -> !id.equals(config.nodeId()))
                .map(RaftPeerId::valueOf)
                .toList(),
            peerStatusClient,
            settings.peerStatusTimeout());
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
            .setGroup(group)
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
        group.getPeers());
  }

  /** Proposes commands and offers the read barriers; usable once {@link #start()} returned. */
  public RatisCommandGateway gateway() {
    return gateway;
  }

  public RatisClusterStatus status() {
    return status;
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
    expectSuccess(running, GroupManagementRequest.newAdd(admin, peerId, 1, group, false), "add");
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

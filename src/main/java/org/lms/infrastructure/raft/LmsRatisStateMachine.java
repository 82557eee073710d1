package org.lms.infrastructure.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.server.storage.RaftStorageMetadata;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis side of the replicated state machine, kept thin: it decodes a committed log entry,
 * hands the command to the domain's {@link LmsStateMachine} and encodes the result for the
 * proposer. Snapshots are the store's own dump in a {@code snapshot.<term>_<index>} file with its
 * MD5 beside it, the form in which Ratis ships a snapshot to a lagging follower.
 */
public final class LmsRatisStateMachine extends BaseStateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(LmsRatisStateMachine.class);

  /** The content of the read-only request that asks for this node's applied index. */
  static final ByteString APPLIED_INDEX_QUERY = ByteString.copyFromUtf8("applied-index");

  /** Told about each command this node has just stored: the hook for work that follows a write. */
  @FunctionalInterface
  public interface AppliedListener {
    /**
     * Called on the apply thread, once per command whose changes this node just stored (replays of
     * already stored entries after a restart are not reported). Must be quick and must not throw;
     * hand slow work (a blob fetch) to another thread.
     */
    void onApplied(Command command, CommandResult result);
  }

  private final LmsStateMachine machine;
  private final MongoStateStore store;
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();
  private volatile SingleFileSnapshotInfo latestSnapshot;
  private final AppliedIndexWaiter applied;

  /** The first state of a node with new Raft storage (a restore); used once, then dropped. */
  private volatile SnapshotSeed seed;

  /** What a successor takes over: the listeners and the advertised gRPC address. */
  private final Carried carried;

  /**
   * What outlives one Ratis state machine: the successor of a restarted division shares it, so that
   * nobody registers again.
   */
  private static final class Carried {
    final List<AppliedListener> applied = new CopyOnWriteArrayList<>();
    final List<Runnable> leader = new CopyOnWriteArrayList<>();
    final List<Runnable> restored = new CopyOnWriteArrayList<>();
    final List<Runnable> configuration = new CopyOnWriteArrayList<>();

    /** The gRPC address this node tells peers that ask about it. */
    final AtomicReference<String> grpcAddress = new AtomicReference<>();
  }

  public LmsRatisStateMachine(LmsStateMachine machine, MongoStateStore store) {
    this(machine, store, new AppliedIndexWaiter(), new Carried());
  }

  private LmsRatisStateMachine(
      LmsStateMachine machine, MongoStateStore store, AppliedIndexWaiter applied, Carried carried) {
    this.machine = Objects.requireNonNull(machine, "machine");
    this.store = Objects.requireNonNull(store, "store");
    this.applied = applied;
    this.carried = carried;
    applied.advanceTo(store.appliedIndex());
  }

  /**
   * A new, unopened state machine over the same store that shares this one's applied index and
   * listeners: what a restarted Raft division opens, since a closed Ratis state machine cannot be
   * opened again (its life cycle ends in CLOSED).
   */
  LmsRatisStateMachine successor() {
    return new LmsRatisStateMachine(machine, store, applied, carried);
  }

  /**
   * The {@code host:port} at which the peers reach this node's gRPC server, told to every peer that
   * asks for this node's status: how members learn the address of one that joined after they
   * started. Carries over to the successor of a restarted division.
   */
  void advertiseGrpcAddress(String address) {
    carried.grpcAddress.set(address);
  }

  public void addAppliedListener(AppliedListener listener) {
    carried.applied.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Runs {@code listener} each time Ratis tells this node of a new leader, on a Ratis thread; it
   * must be quick and must not throw. Carries over to the successor of a restarted division.
   */
  public void addLeaderListener(Runnable listener) {
    carried.leader.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Runs {@code listener} after the store was replaced by a snapshot's content (at start, or a
   * snapshot sent by the leader), when no applied-command listener heard of the commands it holds:
   * the hook for state derived from the store (the course knowledge index). Called on a Ratis
   * thread; must be quick and must not throw. Carries over to the successor of a restarted
   * division.
   */
  public void addRestoredListener(Runnable listener) {
    carried.restored.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Gives a node whose Raft storage is new its first state (a restore from a backup): when {@link
   * #initialize} finds no log, no snapshot and term 0, the seed's snapshot becomes this node's
   * latest snapshot, so Ratis starts the log after its index. Ignored when the storage holds
   * anything. Set it before the Raft server starts.
   */
  public void seedWith(SnapshotSeed seed) {
    this.seed = Objects.requireNonNull(seed, "seed");
  }

  /** The highest log index this node has applied (commands and Raft's own entries). */
  public long appliedIndex() {
    return applied.applied();
  }

  AppliedIndexWaiter appliedIndexWaiter() {
    return applied;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    open(raftStorage);
  }

  /**
   * Attaches the snapshot directory of {@code raftStorage} and brings the store up to the latest
   * snapshot: what {@link #initialize} does once Ratis has handed over its server.
   */
  void open(RaftStorage raftStorage) throws IOException {
    snapshots.init(raftStorage);
    deleteUnfinishedSnapshots();
    SnapshotSeed pending = seed;
    seed = null;
    if (pending != null) {
      plant(pending, raftStorage);
    }
    latestSnapshot = snapshots.getLatestSnapshot();
    getLifeCycle().startAndTransition(() -> loadSnapshot(latestSnapshot));
  }

  /**
   * Installs a seed's snapshot as this node's latest snapshot if the Raft storage is new, and
   * raises the stored term to the snapshot's, so the terms of the log that follows grow from it
   * (Ratis checks that a new entry's term is not below its predecessor's). The snapshot file is in
   * place, with its MD5 beside it, before the term is stored: a crash in between leaves a storage
   * that is no longer new and starts from that snapshot.
   */
  private void plant(SnapshotSeed seed, RaftStorage raftStorage) throws IOException {
    long term = raftStorage.getMetadataFile().getMetadata().getTerm();
    if (snapshots.getLatestSnapshot() != null || hasLog(raftStorage) || term > 0) {
      LOG.info(
          "Not restoring {}: its Raft storage already holds a log, a snapshot or a term ({})",
          getId(),
          term);
      return;
    }
    if (store.appliedIndex() > 0) {
      throw new IOException(
          "a restore needs an empty store, but this node's store holds state at index "
              + store.appliedIndex()
              + " (another cluster's database?)");
    }
    SnapshotSeed.Seed planted = seed.prepare();
    long contentIndex;
    try (InputStream in = Files.newInputStream(planted.file())) {
      contentIndex = MongoStateStore.snapshotIndex(in);
    }
    // the store's index may be below the snapshot's: Raft's own entries do not reach the store
    if (contentIndex > planted.index() || planted.term() < 0 || planted.index() <= 0) {
      throw new IOException(
          "the seed says index "
              + planted.index()
              + " (term "
              + planted.term()
              + ") but its snapshot holds the state at index "
              + contentIndex);
    }
    File target = snapshots.getSnapshotFile(planted.term(), planted.index());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".partial");
    Files.createDirectories(tmp.getParent());
    Files.move(planted.file(), tmp, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeMd5ForFile(tmp.toFile());
    MD5FileUtil.saveMD5File(target, md5);
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    raftStorage.getMetadataFile().persist(RaftStorageMetadata.valueOf(planted.term(), null));
    LOG.info(
        "Restoring {} from a seed: snapshot {} at term {}, index {}",
        getId(),
        target,
        planted.term(),
        planted.index());
  }

  /** Whether Ratis's storage directory holds a log segment ({@code log_*}). */
  private static boolean hasLog(RaftStorage raftStorage) throws IOException {
    Path current = raftStorage.getStorageDir().getCurrentDir().toPath();
    if (!Files.isDirectory(current)) {
      return false;
    }
    try (DirectoryStream<Path> segments = Files.newDirectoryStream(current, "log_*")) {
      return segments.iterator().hasNext();
    }
  }

  /** Ratis pauses the state machine while a snapshot from the leader is being installed. */
  @Override
  public void pause() {
    LifeCycle lifeCycle = getLifeCycle();
    if (lifeCycle.getCurrentState() == LifeCycle.State.RUNNING) {
      lifeCycle.transition(LifeCycle.State.PAUSING);
      lifeCycle.transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called after a snapshot from the leader was installed: the store catches up to it. */
  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo latest = snapshots.loadLatestSnapshot();
    latestSnapshot = latest;
    if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
      getLifeCycle().startAndTransition(() -> loadSnapshot(latest));
    } else {
      loadSnapshot(latest);
    }
  }

  /**
   * Restores the store from {@code snapshot} if the store is behind it (a new or wiped database, a
   * follower that was sent the leader's snapshot), then lets Ratis replay the log after it. A store
   * that is already ahead keeps its data: replayed entries at or below its applied index change
   * nothing.
   */
  private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      applied.advanceTo(store.appliedIndex());
      return;
    }
    Path file = snapshot.getFile().getPath();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), md5);
    }
    long snapshotContentIndex;
    try (InputStream in = Files.newInputStream(file)) {
      snapshotContentIndex = MongoStateStore.snapshotIndex(in);
    }
    if (store.appliedIndex() < snapshotContentIndex) {
      LOG.info(
          "Restoring the store from {} (store at index {}, snapshot at {})",
          file,
          store.appliedIndex(),
          snapshotContentIndex);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        store.restoreSnapshot(in);
      }
      tell(carried.restored, "restored");
    }
    setLastAppliedTermIndex(snapshot.getTermIndex());
    applied.advanceTo(Math.max(store.appliedIndex(), snapshot.getIndex()));
  }

  /** Refuses an undecodable proposal before it reaches the log, where it would stop every node. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    try {
      LogCodec.decode(request.getMessage().getContent().toByteArray());
    } catch (RuntimeException e) {
      throw new IOException("the proposal is not a command this node can decode", e);
    }
    return super.startTransaction(request);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    Command command = decode(entry);
    boolean fresh = index > store.appliedIndex();
    CommandResult result;
    try {
      result = machine.apply(index, command, requestId(entry));
    } catch (RuntimeException e) {
      // nothing may be skipped: Ratis stops this node's server, a restart replays from the store
      LOG.error(
          "applying log entry {} ({}) failed; this node stops applying the log",
          index,
          command.getClass().getSimpleName(),
          e);
      throw e;
    }
    updateLastAppliedTermIndex(entry.getTerm(), index);
    applied.advanceTo(index);
    if (fresh) {
      tellListeners(command, result);
    }
    return CompletableFuture.completedFuture(
        Message.valueOf(UnsafeByteOperations.unsafeWrap(LogCodec.encodeResult(result))));
  }

  /**
   * The id of the client request an entry carries: the proposing Raft client's id and its call id,
   * both written in the log, so every node derives the same one. A client retries under the same
   * id, which lets the state machine apply a request committed twice only once.
   */
  static String requestId(LogEntryProto entry) {
    var smEntry = entry.getStateMachineLogEntry();
    if (smEntry.getClientId().isEmpty()) {
      return null;
    }
    return ClientId.valueOf(smEntry.getClientId()) + "#" + smEntry.getCallId();
  }

  /**
   * An entry that cannot be decoded is a corrupt log or one written by a newer schema. Skipping it
   * would let this node's state part from the others' for good, so the exception propagates: Ratis
   * then stops this node's Raft server, and an operator must look.
   */
  private static Command decode(LogEntryProto entry) {
    ByteString data = entry.getStateMachineLogEntry().getLogData();
    try {
      return LogCodec.decode(data.toByteArray());
    } catch (RuntimeException e) {
      String message =
          "log entry "
              + entry.getIndex()
              + " (term "
              + entry.getTerm()
              + ", "
              + data.size()
              + " bytes) cannot be decoded: a corrupt log, or one written by a newer version";
      LOG.error("{}; this node stops applying the log", message, e);
      throw new IllegalStateException(message, e);
    }
  }

  /** Runs each of {@code listeners}; one that fails is logged and the others still run. */
  private static void tell(List<Runnable> listeners, String kind) {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("{} listener {} failed", kind, listener, e);
      }
    }
  }

  private void tellListeners(Command command, CommandResult result) {
    for (AppliedListener listener : carried.applied) {
      try {
        listener.onApplied(command, result);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed on index {}", listener, result.index(), e);
      }
    }
  }

  /**
   * Runs {@code listener} each time this node applies a new Raft configuration (the members
   * changed), on the apply thread; it must be quick and must not throw. Carries over to the
   * successor of a restarted division.
   */
  public void addConfigurationListener(Runnable listener) {
    carried.configuration.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Tells the configuration listeners; decides nothing, and the state is not touched. */
  @Override
  public void notifyConfigurationChanged(
      long term, long index, RaftProtos.RaftConfigurationProto newRaftConfiguration) {
    tell(carried.configuration, "configuration");
  }

  /** Tells the leader listeners (the metrics count leader changes); decides nothing. */
  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    tell(carried.leader, "leader");
  }

  /** Raft's own entries (a new leader's first entry, configuration changes) move the index too. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    applied.advanceTo(index);
  }

  /**
   * Answers two read-only questions, neither of which is ever in the log: the read barrier's (by
   * the time Ratis calls this for a linearizable read, the read index is applied here), and a
   * peer's stale read asking this node to describe itself ({@link RatisClusterStatus#group()}),
   * which needs no leader. Neither reads a clock or changes anything.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ByteString content = request.getContent();
    if (APPLIED_INDEX_QUERY.equals(content)) {
      return CompletableFuture.completedFuture(encodeIndex(getLastAppliedTermIndex().getIndex()));
    }
    if (RatisClusterStatus.NODE_STATUS_QUERY.equals(content)) {
      return describeSelf();
    }
    return CompletableFuture.failedFuture(
        new IllegalArgumentException("unknown query: " + content.toStringUtf8()));
  }

  /**
   * This node's status as {@link RatisClusterStatus#local()} would give it, for a peer. A division
   * that is closing or still starting answers with a {@link StateMachineException}, which the
   * asking peer shows as DOWN.
   */
  private CompletableFuture<Message> describeSelf() {
    RaftServer server = getServer().getNow(null);
    if (server != null) {
      try {
        var status =
            RatisClusterStatus.describe(getId().toString(), server.getDivision(getGroupId()));
        if (status.isPresent()) {
          return CompletableFuture.completedFuture(
              RatisClusterStatus.encode(
                  status.get(), Optional.ofNullable(carried.grpcAddress.get())));
        }
      } catch (IOException e) {
        LOG.debug("no division to describe", e);
      }
    }
    return CompletableFuture.failedFuture(
        new StateMachineException("the Raft division of " + getId() + " is not running"));
  }

  /**
   * Dumps the store at the last applied index. Ratis calls this on the apply thread, so no command
   * is applied meanwhile. The dump goes to a temporary file that is renamed into place only when
   * complete, with its MD5 written first, so a crash never leaves a partial snapshot to load.
   */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    File target = snapshots.getSnapshotFile(last.getTerm(), last.getIndex());
    if (target.exists()) {
      return last.getIndex();
    }
    Path tmp = target.toPath().resolveSibling(target.getName() + ".partial");
    MessageDigest md5 = MD5FileUtil.newMD5();
    try (OutputStream out =
        new DigestOutputStream(
            new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), md5)) {
      store.writeSnapshot(out);
    }
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    MD5Hash digest = MD5Hash.newInstance(md5.digest());
    MD5FileUtil.saveMD5File(target, digest);
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
    var taken = new SingleFileSnapshotInfo(new FileInfo(target.toPath(), digest), last);
    snapshots.updateLatestSnapshot(taken);
    latestSnapshot = taken;
    LOG.info("Took snapshot {} ({} bytes)", target, Files.size(target.toPath()));
    return last.getIndex();
  }

  /**
   * The latest snapshot as this state machine last loaded or took it. Ratis's own storage answers
   * by scanning the snapshot directory while nothing is cached, and a snapshot registered by {@link
   * #takeSnapshot} during that scan made it throw inside {@code appendEntries} (Ratis 3.3.0): the
   * follower then counted a call that never ended and stopped starting elections for good (seen by
   * the gRPC benchmark). A plain volatile field has no such window.
   */
  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latestSnapshot;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public void close() {
    LifeCycle lifeCycle = getLifeCycle();
    if (!lifeCycle.getCurrentState().isClosingOrClosed()) {
      lifeCycle.checkStateAndClose();
    }
  }

  /** Removes what a crash in the middle of {@link #takeSnapshot} left behind. */
  private void deleteUnfinishedSnapshots() throws IOException {
    File dir = snapshots.getSnapshotFile(0, 0).getParentFile();
    if (dir == null || !dir.isDirectory()) {
      return;
    }
    try (DirectoryStream<Path> partial = Files.newDirectoryStream(dir.toPath(), "*.partial")) {
      for (Path p : partial) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Message encodeIndex(long index) {
    return Message.valueOf(
        UnsafeByteOperations.unsafeWrap(ByteBuffer.allocate(Long.BYTES).putLong(0, index)));
  }

  static long decodeIndex(ByteString content) {
    if (content.size() != Long.BYTES) {
      throw new IllegalArgumentException("an index is 8 bytes, got " + content.size());
    }
    return content.asReadOnlyByteBuffer().getLong();
  }
}

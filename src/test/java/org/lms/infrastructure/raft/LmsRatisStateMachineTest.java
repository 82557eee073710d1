package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lms.domain.command.Command;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.LmsStateMachine;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.testing.MongoFixture;
import org.lms.testing.SampleCommands;

/**
 * The Ratis state machine without a cluster: real Ratis storage directories and log entries, a real
 * (in-memory) MongoDB store, entries applied the way Ratis's apply thread does.
 */
@Timeout(60)
class LmsRatisStateMachineTest {

  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  @TempDir Path dir;

  private final List<RaftStorage> storages = new ArrayList<>();

  @AfterEach
  void closeStorages() throws IOException {
    for (RaftStorage storage : storages) {
      storage.close();
    }
  }

  private static final long TERM = 3;

  @Test
  void aSnapshotRestoresTheSameStateIntoAFreshStore() throws Exception {
    MongoStateStore store = mongo.newStore();
    RaftStorage storage = storage(dir);
    var machine = open(store, storage);
    List<Command> commands = SampleCommands.oneOfEach();
    applyAll(machine, 1, commands);
    long last = commands.size();
    assertThat(machine.getLatestSnapshot()).isNull();

    assertThat(machine.takeSnapshot()).isEqualTo(last);
    // answered from the machine's own field, never from a directory scan (Ratis 3.3.0 race)
    assertThat(machine.getLatestSnapshot().getIndex()).isEqualTo(last);
    storage.close();
    Path file = snapshotFile(dir, TERM, last);
    assertThat(file).exists();
    assertThat(MD5FileUtil.getDigestFileForFile(file.toFile())).exists();
    MD5FileUtil.verifySavedMD5(file.toFile(), MD5FileUtil.computeMd5ForFile(file.toFile()));

    MongoStateStore fresh = mongo.newStore();
    var restarted = open(fresh, storage(dir));

    assertThat(fresh.appliedIndex()).isEqualTo(last);
    assertThat(fresh.digest()).isEqualTo(store.digest());
    assertThat(restarted.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(TERM, last));
    assertThat(restarted.getLatestSnapshot().getIndex()).isEqualTo(last);
    assertThat(restarted.appliedIndex()).isEqualTo(last);
    assertThat(restarted.getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);

    // the log goes on after the snapshot
    CommandResult next = apply(restarted, last + 1, registerUser("u-late", "late"));
    assertThat(next.isAccepted()).isTrue();
    assertThat(fresh.get(User.class, "u-late")).isPresent();
  }

  @Test
  void entriesAtOrBelowTheStoresAppliedIndexChangeNothing() throws Exception {
    // a node restarts on its database, which is ahead of its latest snapshot: Ratis replays the
    // log from the snapshot on, and the replayed entries must not be applied a second time
    String database = mongo.newDatabaseName();
    MongoStateStore store = mongo.openStore(database);
    RaftStorage storage = storage(dir);
    var machine = open(store, storage);
    List<Command> commands = SampleCommands.oneOfEach();
    applyAll(machine, 1, commands.subList(0, 10));
    long snapshotIndex = machine.takeSnapshot();
    applyAll(machine, 11, commands.subList(10, commands.size()));
    long last = commands.size();
    String digest = store.digest();
    storage.close();

    MongoStateStore reopened = mongo.openStore(database);
    var restarted = open(reopened, storage(dir));
    assertThat(restarted.getLastAppliedTermIndex().getIndex()).isEqualTo(snapshotIndex);
    assertThat(restarted.appliedIndex()).isEqualTo(last);
    assertThat(reopened.digest()).isEqualTo(digest);
    List<Command> told = new ArrayList<>();
    restarted.addAppliedListener((command, result) -> told.add(command));

    // entries that would change the state if they were applied again
    for (long index = snapshotIndex + 1; index <= last; index++) {
      apply(restarted, index, registerUser("u-replayed-" + index, "replayed" + index));
    }

    assertThat(reopened.digest()).isEqualTo(digest);
    assertThat(reopened.appliedIndex()).isEqualTo(last);
    assertThat(reopened.count(User.class)).isEqualTo(store.count(User.class));
    assertThat(told).isEmpty();
    assertThat(restarted.getLastAppliedTermIndex().getIndex()).isEqualTo(last);

    // the first entry after them is applied
    apply(restarted, last + 1, registerUser("u-next", "next"));
    assertThat(reopened.get(User.class, "u-next")).isPresent();
    assertThat(told).hasSize(1);
  }

  @Test
  void reinitializeLoadsASnapshotInstalledFromTheLeader() throws Exception {
    // the leader's snapshot, taken in a directory of its own
    Path leaderDir = Files.createDirectory(dir.resolve("leader"));
    MongoStateStore leaderStore = mongo.newStore();
    var leader = open(leaderStore, storage(leaderDir));
    List<Command> commands = SampleCommands.oneOfEach();
    applyAll(leader, 1, commands);
    long index = leader.takeSnapshot();

    // a follower that has nothing yet
    Path followerDir = Files.createDirectory(dir.resolve("follower"));
    MongoStateStore followerStore = mongo.newStore();
    RaftStorage followerStorage = storage(followerDir);
    var follower = open(followerStore, followerStorage);
    assertThat(follower.getLatestSnapshot()).isNull();

    // what Ratis does on InstallSnapshot: pause, put the files in place, reinitialize
    follower.pause();
    assertThat(follower.getLifeCycleState()).isEqualTo(LifeCycle.State.PAUSED);
    follower.pause(); // once per received chunk
    Path received = snapshotFile(leaderDir, TERM, index);
    Path smDir = followerStorage.getStorageDir().getStateMachineDir().toPath();
    Files.copy(received, smDir.resolve(received.getFileName()));
    Files.copy(
        MD5FileUtil.getDigestFileForFile(received.toFile()).toPath(),
        smDir.resolve(received.getFileName() + MD5FileUtil.MD5_SUFFIX));
    follower.reinitialize();

    assertThat(follower.getLifeCycleState()).isEqualTo(LifeCycle.State.RUNNING);
    assertThat(follower.getLatestSnapshot().getIndex()).isEqualTo(index);
    assertThat(follower.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(TERM, index));
    assertThat(followerStore.appliedIndex()).isEqualTo(index);
    assertThat(followerStore.digest()).isEqualTo(leaderStore.digest());
  }

  @Test
  void aSeedBecomesTheLatestSnapshotOfNewStorageWithItsTerm() throws Exception {
    // a backup's snapshot: another node's, at term 3
    Path sourceDir = Files.createDirectory(dir.resolve("source"));
    MongoStateStore source = mongo.newStore();
    var sourceMachine = open(source, storage(sourceDir));
    List<Command> commands = SampleCommands.oneOfEach();
    applyAll(sourceMachine, 1, commands);
    long index = sourceMachine.takeSnapshot();
    Path seedFile = dir.resolve("seed");
    Files.copy(snapshotFile(sourceDir, TERM, index), seedFile);

    Path newDir = Files.createDirectory(dir.resolve("new"));
    MongoStateStore fresh = mongo.newStore();
    RaftStorage storage = storage(newDir);
    var machine = new LmsRatisStateMachine(new LmsStateMachine(fresh), fresh);
    var restored = new java.util.concurrent.atomic.AtomicInteger();
    machine.addRestoredListener(restored::incrementAndGet);
    machine.seedWith(() -> new SnapshotSeed.Seed(seedFile, TERM, index));
    machine.open(storage);

    assertThat(machine.getLatestSnapshot().getTermIndex())
        .isEqualTo(TermIndex.valueOf(TERM, index));
    Path planted = snapshotFile(newDir, TERM, index);
    MD5FileUtil.verifySavedMD5(planted.toFile(), MD5FileUtil.computeMd5ForFile(planted.toFile()));
    assertThat(seedFile).doesNotExist(); // moved, not copied
    assertThat(storage.getMetadataFile().getMetadata().getTerm()).isEqualTo(TERM);
    assertThat(fresh.appliedIndex()).isEqualTo(index);
    assertThat(fresh.digest()).isEqualTo(source.digest());
    assertThat(machine.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(TERM, index));
    assertThat(restored).hasValue(1);
  }

  @Test
  void aSeedIsIgnoredByStorageThatHoldsAnything() throws Exception {
    MongoStateStore store = mongo.newStore();
    RaftStorage storage = storage(dir);
    var machine = open(store, storage);
    applyAll(machine, 1, SampleCommands.oneOfEach().subList(0, 3));
    machine.takeSnapshot();
    storage.close();

    var reopened = new LmsRatisStateMachine(new LmsStateMachine(store), store);
    reopened.seedWith(
        () -> {
          throw new AssertionError("a storage with a snapshot must not be seeded");
        });
    reopened.open(storage(dir));
    assertThat(reopened.getLatestSnapshot().getIndex()).isEqualTo(3);

    // a term alone (a node that voted, then crashed before its first entry) counts too
    Path voted = Files.createDirectory(dir.resolve("voted"));
    RaftStorage votedStorage = storage(voted);
    votedStorage
        .getMetadataFile()
        .persist(org.apache.ratis.server.storage.RaftStorageMetadata.valueOf(2, null));
    var fresh = mongo.newStore();
    var other = new LmsRatisStateMachine(new LmsStateMachine(fresh), fresh);
    other.seedWith(
        () -> {
          throw new AssertionError("a storage with a term must not be seeded");
        });
    other.open(votedStorage);
    assertThat(other.getLatestSnapshot()).isNull();
  }

  @Test
  void aSeedIsRefusedWhenTheStoreAlreadyHoldsState() throws Exception {
    MongoStateStore store = mongo.newStore();
    store.commit(5, List.of());
    var machine = new LmsRatisStateMachine(new LmsStateMachine(store), store);
    machine.seedWith(
        () -> {
          throw new AssertionError("not to be asked");
        });

    assertThatThrownBy(() -> machine.open(storage(dir)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("needs an empty store")
        .hasMessageContaining("index 5");
  }

  /**
   * A Raft client's retry can be committed after its first attempt when leadership moves (seen by
   * the fault-injection suite): the copy carries the same client and call id and must change
   * nothing, on every node alike.
   */
  @Test
  void aRetriedRequestCommittedTwiceIsAppliedOnce() throws Exception {
    MongoStateStore store = mongo.newStore();
    var machine = open(store, storage(dir));
    List<Command> commands = SampleCommands.oneOfEach().subList(0, 2);
    applyAll(machine, 1, commands);
    long index = store.appliedIndex();
    ClientId client = ClientId.randomId();
    var request =
        LogEntryProto.newBuilder()
            .setTerm(TERM)
            .setIndex(index + 1)
            .setStateMachineLogEntry(
                StateMachineLogEntryProto.newBuilder()
                    .setClientId(client.toByteString())
                    .setCallId(7)
                    .setLogData(ByteString.copyFrom(LogCodec.encode(registerUser("u-r", "retry")))))
            .build();
    Message first = machine.applyTransaction(transaction(machine, request)).get();
    String digest = store.digest();

    var copy = request.toBuilder().setTerm(TERM + 1).setIndex(index + 2).build();
    Message second = machine.applyTransaction(transaction(machine, copy)).get();

    assertThat(LmsRatisStateMachine.requestId(copy)).isEqualTo(client + "#7");
    assertThat(LogCodec.decodeResult(second.getContent().toByteArray()))
        .isEqualTo(LogCodec.decodeResult(first.getContent().toByteArray()));
    assertThat(store.digest()).isEqualTo(digest);
    assertThat(store.appliedIndex()).isEqualTo(index + 2);
  }

  @Test
  void anUndecodableEntryStopsTheMachineInsteadOfBeingSkipped() throws Exception {
    MongoStateStore store = mongo.newStore();
    var machine = open(store, storage(dir));
    applyAll(machine, 1, SampleCommands.oneOfEach().subList(0, 2));
    String digest = store.digest();
    long before = store.appliedIndex();

    var garbage = entry(TERM, before + 1, ByteString.copyFromUtf8("not a log entry"));

    assertThatThrownBy(() -> machine.applyTransaction(transaction(machine, garbage)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("log entry " + (before + 1))
        .hasMessageContaining("cannot be decoded");
    assertThat(store.appliedIndex()).isEqualTo(before);
    assertThat(store.digest()).isEqualTo(digest);
    assertThat(machine.getLastAppliedTermIndex().getIndex()).isEqualTo(before);
  }

  @Test
  void theListenerHearsOfEachFreshlyStoredCommandAndItsResult() throws Exception {
    MongoStateStore store = mongo.newStore();
    var machine = open(store, storage(dir));
    List<CommandResult> heard = new ArrayList<>();
    machine.addAppliedListener((command, result) -> heard.add(result));
    machine.addAppliedListener(
        (command, result) -> {
          throw new IllegalStateException("a failing listener must not stop the others");
        });
    List<Command> commands = SampleCommands.oneOfEach().subList(0, 2);
    applyAll(machine, 1, commands);
    // a duplicate username is refused, and the listener is told so
    apply(machine, 3, registerUser("u-dup", "admin"));

    assertThat(heard).extracting(CommandResult::index).containsExactly(1L, 2L, 3L);
    assertThat(heard.get(2).rejection()).isPresent();
  }

  @Test
  void theQueryAnswersTheAppliedIndex() throws Exception {
    MongoStateStore store = mongo.newStore();
    var machine = open(store, storage(dir));
    applyAll(machine, 1, SampleCommands.oneOfEach().subList(0, 3));

    Message answer = machine.query(Message.valueOf(LmsRatisStateMachine.APPLIED_INDEX_QUERY)).get();
    assertThat(LmsRatisStateMachine.decodeIndex(answer.getContent())).isEqualTo(3);
    assertThatThrownBy(() -> machine.query(Message.valueOf("what else")).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStatusQueryWithoutARunningDivisionIsRefusedAsNotRunning() throws Exception {
    // opened here without a Ratis server: what a peer meets while this node's division starts
    MongoStateStore store = mongo.newStore();
    var machine = open(store, storage(dir));

    assertThatThrownBy(
            () -> machine.query(Message.valueOf(RatisClusterStatus.NODE_STATUS_QUERY)).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StateMachineException.class);
  }

  // --- helpers

  private static LmsRatisStateMachine open(MongoStateStore store, RaftStorage storage)
      throws IOException {
    var machine = new LmsRatisStateMachine(new LmsStateMachine(store), store);
    machine.open(storage);
    return machine;
  }

  private RaftStorage storage(Path dir) throws IOException {
    RaftStorage storage =
        RaftStorage.newBuilder()
            .setDirectory(dir.toFile())
            .setOption(RaftStorage.StartupOption.RECOVER)
            .setStorageFreeSpaceMin(SizeInBytes.valueOf(0))
            .setLogCorruptionPolicy(RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION)
            .build();
    storage.initialize();
    storages.add(storage);
    return storage;
  }

  private static Path snapshotFile(Path dir, long term, long index) {
    return dir.resolve("sm").resolve("snapshot." + term + "_" + index);
  }

  private static void applyAll(LmsRatisStateMachine machine, long firstIndex, List<Command> list)
      throws Exception {
    long index = firstIndex;
    for (Command command : list) {
      CommandResult result = apply(machine, index++, command);
      assertThat(result.rejection()).as("result of %s", command).isEmpty();
    }
  }

  private static CommandResult apply(LmsRatisStateMachine machine, long index, Command command)
      throws Exception {
    var entry = entry(TERM, index, ByteString.copyFrom(LogCodec.encode(command)));
    Message reply = machine.applyTransaction(transaction(machine, entry)).get();
    return LogCodec.decodeResult(reply.getContent().toByteArray());
  }

  private static LogEntryProto entry(long term, long index, ByteString data) {
    return LogEntryProto.newBuilder()
        .setTerm(term)
        .setIndex(index)
        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder().setLogData(data))
        .build();
  }

  private static TransactionContext transaction(LmsRatisStateMachine machine, LogEntryProto e) {
    return TransactionContext.newBuilder()
        .setStateMachine(machine)
        .setServerRole(RaftPeerRole.FOLLOWER)
        .setLogEntry(e)
        .build();
  }

  private static RegisterUser registerUser(String id, String username) {
    return new RegisterUser(
        id,
        username,
        "Someone " + username,
        Role.STUDENT,
        "pbkdf2-hash-of-" + username,
        SampleCommands.ADMIN,
        Instant.parse("2025-12-01T10:00:00Z"));
  }
}

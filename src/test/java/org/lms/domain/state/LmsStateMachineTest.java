package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.Command;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.infrastructure.mongo.MongoStateStore;
import org.lms.testing.MongoFixture;
import org.lms.testing.SampleCommands;
import org.lms.testing.Scenario;

class LmsStateMachineTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  @Test
  void theSameLogGivesTheSameStateOnTwoNodes() {
    List<Command> log = SampleCommands.oneOfEach();
    MongoStateStore a = mongo.newStore();
    MongoStateStore b = mongo.newStore();
    var machineA = new LmsStateMachine(a);
    var machineB = new LmsStateMachine(b);
    for (int i = 0; i < log.size(); i++) {
      CommandResult ra = machineA.apply(i + 1, log.get(i));
      CommandResult rb = machineB.apply(i + 1, log.get(i));
      assertThat(ra).as("result of %s", log.get(i)).isEqualTo(rb);
      assertThat(ra.rejection()).as("rejection of %s", log.get(i)).isEmpty();
    }
    assertThat(a.digest()).isEqualTo(b.digest());
    assertThat(a.appliedIndex()).isEqualTo(log.size());
  }

  @Test
  void everyCommandTypeHasAHandler() {
    // the table checks itself when built; this makes a missing handler a failing test, not a crash
    assertThatNoException().isThrownBy(CommandHandlers::new);
  }

  @Test
  void replayingAnAppliedIndexChangesNothing() {
    var s = new Scenario(mongo.newStore()).admin();
    long applied = s.store().appliedIndex();
    String digest = s.store().digest();
    var again =
        new RegisterUser("eve", "eve", "Eve", Role.STUDENT, Scenario.HASH, Scenario.ADMIN, s.now());
    CommandResult result = s.stateMachine().apply(applied, again);
    assertThat(result.index()).isEqualTo(applied);
    assertThat(s.store().digest()).isEqualTo(digest);
    assertThat(s.store().get(User.class, "eve")).isEmpty();
  }

  /**
   * Regression (found by the fault-injection suite): a Raft client's retry of a request whose first
   * attempt was already in the log was committed too, and applying it again wrote an old title over
   * a newer acknowledged one. The second copy of a request now answers the first result and changes
   * nothing.
   */
  @Test
  void aRequestCommittedTwiceIsAppliedOnce() throws Exception {
    var s = new Scenario(mongo.newStore()).admin();
    MongoStateStore store = s.store();
    var machine = s.stateMachine();
    long i = store.appliedIndex();
    var alice = user("alice", "Alice");
    var alicesTwin = user("alice", "Someone Else");
    var bob = user("bob", "Bob");

    assertThat(machine.apply(i + 1, alice, "client-1#1")).isEqualTo(CommandResult.accepted(i + 1));
    CommandResult refused = machine.apply(i + 2, alicesTwin, "client-1#2");
    assertThat(refused.rejection()).isPresent();
    assertThat(machine.apply(i + 3, bob, "client-2#1").isAccepted()).isTrue();
    String digest = store.digest();

    // the retries arrive later in the log, after other writes
    assertThat(machine.apply(i + 4, alice, "client-1#1")).isEqualTo(CommandResult.accepted(i + 1));
    assertThat(machine.apply(i + 5, alicesTwin, "client-1#2")).isEqualTo(refused);
    assertThat(store.digest()).isEqualTo(digest);
    assertThat(store.appliedIndex()).isEqualTo(i + 5);
    assertThat(store.get(User.class, "alice").orElseThrow().displayName()).isEqualTo("Alice");

    // the same command under another request id is decided afresh
    assertThat(machine.apply(i + 6, alice, "client-3#1").rejection()).isPresent();

    // a node that receives this state as a snapshot makes the same decision
    var bytes = new java.io.ByteArrayOutputStream();
    store.writeSnapshot(bytes);
    MongoStateStore restored = mongo.newStore();
    restored.restoreSnapshot(new java.io.ByteArrayInputStream(bytes.toByteArray()));
    assertThat(new LmsStateMachine(restored).apply(i + 7, bob, "client-2#1"))
        .isEqualTo(CommandResult.accepted(i + 3));
    assertThat(new LmsStateMachine(store).apply(i + 7, bob, "client-2#1"))
        .isEqualTo(CommandResult.accepted(i + 3));
    assertThat(restored.digest()).isEqualTo(store.digest());
  }

  @Test
  void requestIdsAreForgottenAfterTheirWindowOnEveryNodeAlike() {
    MongoStateStore a = new Scenario(mongo.newStore()).admin().store();
    MongoStateStore b = new Scenario(mongo.newStore()).admin().store();
    var machineA = new LmsStateMachine(a, 4, 4);
    var machineB = new LmsStateMachine(b, 4, 4);
    long base = a.appliedIndex();
    assertThat(b.appliedIndex()).isEqualTo(base);
    long last = 0;
    for (int n = 1; n <= 12; n++) {
      long i = base + n;
      var command = user("user" + n, "User " + n);
      assertThat(machineA.apply(i, command, "c#" + n))
          .isEqualTo(machineB.apply(i, command, "c#" + n));
      last = i;
    }
    // at the last multiple of 4 the ids applied 4 or more indexes before it were dropped
    long pruned = last - last % 4;
    long kept = a.count(org.lms.domain.model.AppliedRequest.class);
    assertThat(kept).isEqualTo(last - (pruned - 4));
    assertThat(a.digest()).isEqualTo(b.digest());
    // an id from before the window is decided afresh: the user exists, so it is refused
    assertThat(machineA.apply(last + 1, user("user1", "User 1"), "c#1").rejection()).isPresent();
    // one within it answers its first result
    assertThat(machineA.apply(last + 2, user("user12", "User 12"), "c#12"))
        .isEqualTo(CommandResult.accepted(last));
  }

  private static RegisterUser user(String id, String name) {
    return new RegisterUser(id, id, name, Role.STUDENT, Scenario.HASH, Scenario.ADMIN, Scenario.T0);
  }

  @Test
  void aRestartedNodeResumesAfterItsAppliedIndex() {
    String db = mongo.newDatabaseName();
    var first = new Scenario(mongo.openStore(db)).classroom();
    long applied = first.index();
    var reopened = new LmsStateMachine(mongo.openStore(db));
    assertThat(reopened.appliedIndex()).isEqualTo(applied);
    // the log replays everything after the last snapshot; what is already applied is skipped
    var replay =
        new RegisterUser(
            "alice", "alice", "Again", Role.STUDENT, Scenario.HASH, Scenario.ADMIN, Scenario.T0);
    assertThat(reopened.apply(applied - 1, replay).isAccepted()).isTrue();
    var next =
        new RegisterUser(
            "zoe", "zoe", "Zoe", Role.STUDENT, Scenario.HASH, Scenario.ADMIN, Scenario.T0);
    assertThat(reopened.apply(applied + 1, next).isAccepted()).isTrue();
    assertThat(reopened.appliedIndex()).isEqualTo(applied + 1);
  }

  @Test
  void checkRefusesWithoutWriting() {
    var s = new Scenario(mongo.newStore()).classroom();
    String digest = s.store().digest();
    long applied = s.store().appliedIndex();
    var dup =
        new RegisterUser("x", "alice", "A", Role.STUDENT, Scenario.HASH, Scenario.ADMIN, s.now());
    assertThatThrownBy(() -> s.stateMachine().check(dup))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> assertThat(e.rejection().reason()).isEqualTo(RejectionReason.DUPLICATE_USERNAME));
    assertThat(s.store().digest()).isEqualTo(digest);
    assertThat(s.store().appliedIndex()).isEqualTo(applied);
  }

  @Test
  void aMalformedCommandIsRefusedNotCrashed() {
    var s = new Scenario(mongo.newStore()).admin();
    var r = s.reject(new RegisterUser(null, null, null, null, null, Scenario.ADMIN, null));
    assertThat(r.kind()).isEqualTo(RejectionKind.INVALID_ARGUMENT);
  }
}

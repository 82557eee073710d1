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

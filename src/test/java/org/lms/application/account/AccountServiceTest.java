package org.lms.application.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lms.testing.Scenario.ADMIN;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.application.Actor;
import org.lms.application.account.AccountService.NewUser;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.testing.LocalLog;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

/** {@link AccountService#checkNewUsers}: a batch checked by the log's rules, nothing created. */
class AccountServiceTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private static final Actor ADMIN_ACTOR = new Actor(ADMIN, "admin", Role.ADMIN, "s");
  private static final char[] PASSWORD = "long-enough-1".toCharArray();

  private Scenario s;
  private AccountService accounts;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).admin().user("alice", Role.STUDENT);
    accounts = new LocalLog(s).accounts();
  }

  private static NewUser user(String username) {
    return new NewUser(username, "Name of " + username, Role.STUDENT, PASSWORD);
  }

  @Test
  void aGoodBatchPassesAndNothingIsCreated() {
    String before = s.store().digest();
    var refusals =
        accounts.checkNewUsers(
            ADMIN_ACTOR,
            List.of(user("bert"), new NewUser("Carla", "Carla", Role.INSTRUCTOR, PASSWORD)));
    assertThat(refusals).isEmpty();
    assertThat(s.store().digest()).isEqualTo(before);
    assertThat(s.store().find(User.class)).hasSize(2);
  }

  @Test
  void eachRefusedAccountIsReportedByItsPosition() {
    var refusals =
        accounts.checkNewUsers(
            ADMIN_ACTOR,
            List.of(
                user("bert"),
                user("ALICE"),
                new NewUser("carla", "Carla", Role.STUDENT, "short".toCharArray()),
                user("no spaces"),
                new NewUser("dora", "Dora", null, PASSWORD),
                new NewUser("emil", "Line\nbreak", Role.STUDENT, PASSWORD),
                user("Bert")));

    assertThat(refusals).containsOnlyKeys(1, 2, 3, 4, 5, 6);
    assertThat(refusals.get(1).rejection().reason()).isEqualTo(RejectionReason.DUPLICATE_USERNAME);
    assertThat(refusals.get(1).rejection().message()).isEqualTo("the username alice is taken");
    assertThat(refusals.get(2).rejection().field()).isEqualTo("password");
    assertThat(refusals.get(3).rejection().field()).isEqualTo("username");
    assertThat(refusals.get(4).rejection().field()).isEqualTo("role");
    assertThat(refusals.get(5).rejection().field()).isEqualTo("displayName");
    assertThat(refusals.get(6).rejection().message())
        .isEqualTo("the username bert appears more than once in the batch");
  }

  @Test
  void onlyAnAdministratorMayCheckAndTheBatchIsBounded() {
    var alice = new Actor("alice", "alice", Role.STUDENT, "s");
    assertThatThrownBy(() -> accounts.checkNewUsers(alice, List.of(user("bert"))))
        .isInstanceOf(RejectedException.class)
        .extracting(e -> ((RejectedException) e).rejection().reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    assertThatThrownBy(() -> accounts.checkNewUsers(ADMIN_ACTOR, List.of()))
        .isInstanceOf(RejectedException.class);
    var tooMany =
        java.util.stream.IntStream.rangeClosed(0, AccountService.MAX_BATCH)
            .mapToObj(i -> user("user" + i))
            .toList();
    assertThatThrownBy(() -> accounts.checkNewUsers(ADMIN_ACTOR, tooMany))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("1-500");
  }

  @Test
  void whatPassedTheCheckIsCreatedByTheBatch() {
    var batch = List.of(user("bert"), user("carla"));
    assertThat(accounts.checkNewUsers(ADMIN_ACTOR, batch)).isEmpty();
    assertThat(accounts.createUsers(ADMIN_ACTOR, batch))
        .allMatch(AccountService.BatchOutcome::created);
    assertThat(accounts.checkNewUsers(ADMIN_ACTOR, batch)).containsOnlyKeys(0, 1);
  }
}

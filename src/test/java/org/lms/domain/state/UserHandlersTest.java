package org.lms.domain.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.SampleCommands.sha256;
import static org.lms.testing.Scenario.ADMIN;
import static org.lms.testing.Scenario.HASH;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.CloseSession;
import org.lms.domain.command.ExpireSessions;
import org.lms.domain.command.OpenSession;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.command.SetPassword;
import org.lms.domain.command.SetUserDisabled;
import org.lms.domain.model.Role;
import org.lms.domain.model.Session;
import org.lms.domain.model.User;
import org.lms.testing.MongoFixture;
import org.lms.testing.Scenario;

class UserHandlersTest {
  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private Scenario s;

  @BeforeEach
  void setUp() {
    s = new Scenario(mongo.newStore()).admin().user("alice", Role.STUDENT);
  }

  private static String sid(String name) {
    return sha256("session-" + name);
  }

  @Test
  void bootstrapIsAcceptedOnlyOnAnEmptyCluster() {
    assertThat(s.store().get(User.class, ADMIN)).get().extracting(User::role).isEqualTo(Role.ADMIN);
    var r = s.reject(new BootstrapAdmin("admin-2", "root", HASH, s.now()));
    assertThat(r.reason()).isEqualTo(RejectionReason.ALREADY_BOOTSTRAPPED);
  }

  @Test
  void registersUsersWithUniqueUsernames() {
    s.accept(new RegisterUser("carol", "carol", "Carol", Role.INSTRUCTOR, HASH, ADMIN, s.now()));
    assertThat(s.store().get(User.class, "carol"))
        .get()
        .extracting(User::displayName)
        .isEqualTo("Carol");

    var dup =
        s.reject(new RegisterUser("carol2", "carol", "C", Role.STUDENT, HASH, ADMIN, s.now()));
    assertThat(dup.reason()).isEqualTo(RejectionReason.DUPLICATE_USERNAME);
    assertThat(dup.field()).isEqualTo("username");
    var dupId =
        s.reject(new RegisterUser("carol", "carol3", "C", Role.STUDENT, HASH, ADMIN, s.now()));
    assertThat(dupId.reason()).isEqualTo(RejectionReason.DUPLICATE_ID);
  }

  @Test
  void refusesMalformedUsers() {
    assertThat(
            s.reject(new RegisterUser("x", "A B", "X", Role.STUDENT, HASH, ADMIN, s.now())).field())
        .isEqualTo("username");
    assertThat(
            s.reject(new RegisterUser("x", "xavier", " ", Role.STUDENT, HASH, ADMIN, s.now()))
                .field())
        .isEqualTo("displayName");
    assertThat(s.reject(new RegisterUser("x", "xavier", "X", null, HASH, ADMIN, s.now())).field())
        .isEqualTo("role");
    assertThat(
            s.reject(new RegisterUser("../x", "xavier", "X", Role.STUDENT, HASH, ADMIN, s.now()))
                .field())
        .isEqualTo("userId");
  }

  @Test
  void onlyAnAdminRegistersUsers() {
    var r = s.reject(new RegisterUser("x", "xavier", "X", Role.ADMIN, HASH, "alice", s.now()));
    assertThat(r.reason()).isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    var unknown =
        s.reject(new RegisterUser("x", "xavier", "X", Role.ADMIN, HASH, "nobody", s.now()));
    assertThat(unknown.kind()).isEqualTo(RejectionKind.PERMISSION_DENIED);
  }

  @Test
  void sessionsOpenCloseAndExpire() {
    s.accept(new OpenSession(sid("a"), "alice", s.now().plus(Duration.ofHours(1)), s.now()));
    s.accept(new OpenSession(sid("b"), "alice", s.now().plus(Duration.ofHours(3)), s.now()));
    assertThat(s.store().get(Session.class, sid("a"))).isPresent();

    s.accept(new CloseSession(sid("a"), "alice", s.now()));
    assertThat(s.store().get(Session.class, sid("a"))).isEmpty();
    assertThat(s.reject(new CloseSession(sid("a"), "alice", s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_SESSION);

    s.accept(new ExpireSessions(s.now().plus(Duration.ofHours(2))));
    assertThat(s.store().get(Session.class, sid("b"))).isPresent();
    s.accept(new ExpireSessions(s.now().plus(Duration.ofHours(3))));
    assertThat(s.store().get(Session.class, sid("b"))).isEmpty();
    assertThat(s.reject(new ExpireSessions(null)).field()).isEqualTo("issuedAt");
  }

  @Test
  void refusesBadSessions() {
    assertThat(
            s.reject(new OpenSession("not-a-hash", "alice", s.now().plusSeconds(60), s.now()))
                .field())
        .isEqualTo("sessionId");
    assertThat(
            s.reject(new OpenSession(sid("x"), "ghost", s.now().plusSeconds(60), s.now())).reason())
        .isEqualTo(RejectionReason.UNKNOWN_USER);
    assertThat(s.reject(new OpenSession(sid("x"), "alice", s.now(), s.now())).field())
        .isEqualTo("expiresAt");
    s.accept(new OpenSession(sid("x"), "alice", s.now().plusSeconds(60), s.now()));
    assertThat(
            s.reject(new OpenSession(sid("x"), "alice", s.now().plusSeconds(60), s.now())).reason())
        .isEqualTo(RejectionReason.DUPLICATE_ID);
    s.accept(new OpenSession(sid("y"), ADMIN, s.now().plusSeconds(60), s.now()));
    assertThat(s.reject(new CloseSession(sid("y"), "alice", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
  }

  @Test
  void disablingEndsSessionsAndBlocksSignIn() {
    s.accept(new OpenSession(sid("a"), "alice", s.now().plusSeconds(600), s.now()));
    s.accept(new SetUserDisabled("alice", true, ADMIN, s.now()));
    assertThat(s.store().get(Session.class, sid("a"))).isEmpty();
    assertThat(s.store().get(User.class, "alice")).get().extracting(User::disabled).isEqualTo(true);
    assertThat(
            s.reject(new OpenSession(sid("b"), "alice", s.now().plusSeconds(60), s.now())).reason())
        .isEqualTo(RejectionReason.USER_DISABLED);
    assertThat(s.reject(new SetUserDisabled(ADMIN, true, ADMIN, s.now())).reason())
        .isEqualTo(RejectionReason.CANNOT_DISABLE_SELF);
    assertThat(s.reject(new SetUserDisabled("alice", false, "alice", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_DISABLED);
    s.accept(new SetUserDisabled("alice", false, ADMIN, s.now()));
    s.accept(new OpenSession(sid("c"), "alice", s.now().plusSeconds(60), s.now()));
  }

  @Test
  void passwordChangeKeepsOnlyTheCurrentSession() {
    s.accept(new OpenSession(sid("a"), "alice", s.now().plusSeconds(600), s.now()));
    s.accept(new OpenSession(sid("b"), "alice", s.now().plusSeconds(600), s.now()));
    s.accept(
        new SetPassword("alice", "PBKDF2WithHmacSHA256:1:bmV3:bmV3", sid("a"), "alice", s.now()));
    assertThat(s.store().get(User.class, "alice").orElseThrow().passwordHash()).endsWith("bmV3");
    assertThat(s.store().get(Session.class, sid("a"))).isPresent();
    assertThat(s.store().get(Session.class, sid("b"))).isEmpty();

    s.user("bob", Role.STUDENT);
    assertThat(s.reject(new SetPassword("alice", HASH, null, "bob", s.now())).reason())
        .isEqualTo(RejectionReason.ACTOR_NOT_PERMITTED);
    s.accept(new SetPassword("alice", HASH, null, ADMIN, s.now()));
    assertThat(s.store().get(Session.class, sid("a"))).isEmpty();
  }
}

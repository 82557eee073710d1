package org.lms.domain.state;

import static org.lms.domain.state.Checks.MAX_NAME;

import java.util.ArrayList;
import java.util.List;
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

/** Accounts and sessions. */
final class UserHandlers {
  private UserHandlers() {}

  static List<Change> bootstrapAdmin(BootstrapAdmin c, State state) {
    Checks.id("userId", c.userId());
    Checks.username("username", c.username());
    Checks.line("passwordHash", c.passwordHash(), 512);
    Checks.instant("issuedAt", c.issuedAt());
    if (state.userCount() > 0) {
      throw new RejectedException(
          RejectionReason.ALREADY_BOOTSTRAPPED, "", "the cluster already has users");
    }
    return List.of(
        new Change.Put(
            new User(
                c.userId(),
                c.username(),
                "Administrator",
                Role.ADMIN,
                c.passwordHash(),
                false,
                c.issuedAt())));
  }

  static List<Change> registerUser(RegisterUser c, State state) {
    Checks.id("userId", c.userId());
    Checks.username("username", c.username());
    Checks.line("displayName", c.displayName(), MAX_NAME);
    Checks.present("role", c.role());
    Checks.line("passwordHash", c.passwordHash(), 512);
    Checks.instant("issuedAt", c.issuedAt());
    state.admin(c.actorId());
    state.requireNew(User.class, "userId", c.userId());
    if (state.userByUsername(c.username()).isPresent()) {
      throw new RejectedException(
          RejectionReason.DUPLICATE_USERNAME,
          "username",
          "the username " + c.username() + " is taken");
    }
    return List.of(
        new Change.Put(
            new User(
                c.userId(),
                c.username(),
                c.displayName().strip(),
                c.role(),
                c.passwordHash(),
                false,
                c.issuedAt())));
  }

  static List<Change> setUserDisabled(SetUserDisabled c, State state) {
    User admin = state.admin(c.actorId());
    User user = state.user("userId", c.userId());
    if (c.disabled() && admin.id().equals(user.id())) {
      throw new RejectedException(
          RejectionReason.CANNOT_DISABLE_SELF,
          "userId",
          "an administrator cannot disable their own account");
    }
    var changes = new ArrayList<Change>();
    changes.add(new Change.Put(user.withDisabled(c.disabled())));
    if (c.disabled()) {
      for (Session s : state.sessionsOf(user.id())) {
        changes.add(new Change.Delete(Session.class, s.id()));
      }
    }
    return changes;
  }

  static List<Change> setPassword(SetPassword c, State state) {
    Checks.line("passwordHash", c.passwordHash(), 512);
    User actor = state.actor(c.actorId());
    User user = state.user("userId", c.userId());
    if (!actor.id().equals(user.id()) && actor.role() != Role.ADMIN) {
      throw new RejectedException(
          RejectionReason.ACTOR_NOT_PERMITTED,
          "userId",
          "only the user or an administrator may set a password");
    }
    var changes = new ArrayList<Change>();
    changes.add(new Change.Put(user.withPasswordHash(c.passwordHash())));
    for (Session s : state.sessionsOf(user.id())) {
      if (!s.id().equals(c.keepSessionId())) {
        changes.add(new Change.Delete(Session.class, s.id()));
      }
    }
    return changes;
  }

  static List<Change> openSession(OpenSession c, State state) {
    Checks.sha256("sessionId", c.sessionId());
    Checks.instant("issuedAt", c.issuedAt());
    Checks.instant("expiresAt", c.expiresAt());
    User user = state.user("userId", c.userId());
    if (user.disabled()) {
      throw new RejectedException(
          RejectionReason.USER_DISABLED, "userId", "the account is disabled");
    }
    if (!c.expiresAt().isAfter(c.issuedAt())) {
      throw Checks.invalid("expiresAt", "must be after issuedAt");
    }
    state.requireNew(Session.class, "sessionId", c.sessionId());
    return List.of(
        new Change.Put(new Session(c.sessionId(), user.id(), c.issuedAt(), c.expiresAt())));
  }

  static List<Change> closeSession(CloseSession c, State state) {
    Session session = state.session("sessionId", c.sessionId());
    User actor = state.user("actorId", c.actorId());
    if (!actor.id().equals(session.userId()) && actor.role() != Role.ADMIN) {
      throw new RejectedException(
          RejectionReason.ACTOR_NOT_PERMITTED, "sessionId", "not your session");
    }
    return List.of(new Change.Delete(Session.class, session.id()));
  }

  static List<Change> expireSessions(ExpireSessions c, State state) {
    Checks.instant("issuedAt", c.issuedAt());
    return state.sessionsExpiredAt(c.issuedAt()).stream()
        .<Change>map(s -> new Change.Delete(Session.class, s.id()))
        .toList();
  }
}

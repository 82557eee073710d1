package org.lms.application.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.UnauthenticatedException;
import org.lms.application.UseCases;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.application.port.PasswordHasher;
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
import org.lms.domain.state.Checks;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

/**
 * Accounts and sessions. Passwords are hashed and tokens are reduced to their SHA-256 here, on the
 * accepting node, before anything is proposed: neither ever enters the log in clear.
 */
public final class AccountService {
  public static final int MIN_PASSWORD = 10;
  public static final int MAX_PASSWORD = 1024;

  /** The most accounts one {@link #createUsers} call may create. */
  public static final int MAX_BATCH = 500;

  /** Stands in for a password's hash when a command is only checked, never proposed. */
  private static final String UNCHECKED_HASH = "unchecked";

  private final UseCases useCases;
  private final PasswordHasher hasher;
  private final Duration sessionTtl;
  private final LoginThrottle throttle = new LoginThrottle();
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;

  public AccountService(UseCases useCases, PasswordHasher hasher, Duration sessionTtl) {
    this.useCases = useCases;
    this.hasher = hasher;
    this.sessionTtl = sessionTtl;
    // verified against when the username is unknown, so both cases cost the same time
    this.dummyHash = hasher.hash("not-a-real-password".toCharArray());
  }

  /**
   * Creates the first administrator of a new cluster; a no-op (returns false) when the cluster
   * already has users.
   */
  public boolean bootstrapAdmin(String username, char[] password) {
    checkPassword(password);
    if (useCases.store().count(User.class) > 0) {
      return false;
    }
    var command =
        new BootstrapAdmin(useCases.newId(), username, hasher.hash(password), useCases.now());
    var result = useCases.gateway().submit(command);
    return result.isAccepted();
  }

  public SignedIn signIn(String username, char[] password) {
    Instant now = useCases.now();
    String name = username == null ? "" : username.strip().toLowerCase();
    if (name.isEmpty() || password == null || password.length == 0) {
      throw Checks.invalid(name.isEmpty() ? "username" : "password", "is required");
    }
    throttle.checkAllowed(name, now);
    Optional<User> user =
        useCases.store().find(User.class, Criterion.eq("username", name)).stream().findFirst();
    boolean matches = hasher.verify(password, user.map(User::passwordHash).orElse(dummyHash));
    if (user.isEmpty() || !matches || user.get().disabled()) {
      throttle.failed(name, now);
      throw new UnauthenticatedException("wrong username or password, or the account is disabled");
    }
    throttle.succeeded(name);
    String token = newToken();
    String sessionId = sessionIdOf(token);
    Instant expiresAt = now.plus(sessionTtl);
    try {
      useCases.propose(new OpenSession(sessionId, user.get().id(), expiresAt, now));
    } catch (RejectedException e) {
      // this node had not yet applied the account's disabling or removal; the log had
      RejectionReason reason = e.rejection().reason();
      if (reason == RejectionReason.USER_DISABLED || reason == RejectionReason.UNKNOWN_USER) {
        throw new UnauthenticatedException(
            "wrong username or password, or the account is disabled");
      }
      throw e;
    }
    return new SignedIn(token, expiresAt, actorOf(user.get(), sessionId));
  }

  /**
   * The actor a bearer token stands for. A session opened on another node a moment ago may not be
   * applied here yet, so an unknown token gets one linearizable read barrier before it is refused.
   */
  public Actor authenticate(String token) {
    if (token == null || token.isBlank() || token.length() > 256) {
      throw new UnauthenticatedException("a session token is required");
    }
    String sessionId = sessionIdOf(token);
    Optional<Session> session = useCases.store().get(Session.class, sessionId);
    if (session.isEmpty()) {
      if (!useCases.catchUp()) {
        throw new UnauthenticatedException(
            "the session is not known here and the cluster cannot confirm it; try again");
      }
      session = useCases.store().get(Session.class, sessionId);
    }
    Session s = session.orElseThrow(() -> new UnauthenticatedException("unknown or ended session"));
    if (s.isExpiredAt(useCases.now())) {
      throw new UnauthenticatedException("the session has expired; sign in again");
    }
    User user =
        useCases
            .store()
            .get(User.class, s.userId())
            .filter(u -> !u.disabled())
            .orElseThrow(() -> new UnauthenticatedException("the account is disabled"));
    return actorOf(user, sessionId);
  }

  public void signOut(Actor actor) {
    try {
      useCases.propose(new CloseSession(actor.sessionId(), actor.userId(), useCases.now()));
    } catch (RejectedException e) {
      if (e.rejection().reason() != RejectionReason.UNKNOWN_SESSION) {
        throw e;
      }
      // already ended elsewhere: signing out is idempotent
    }
  }

  public void changePassword(Actor actor, char[] current, char[] replacement) {
    User user = useCases.require(User.class, actor.userId(), RejectionReason.UNKNOWN_USER);
    if (current == null || !hasher.verify(current, user.passwordHash())) {
      throw new RejectedException(
          RejectionReason.INVALID_FIELD, "currentPassword", "the current password is wrong");
    }
    checkPassword(replacement);
    useCases.propose(
        new SetPassword(
            user.id(),
            hasher.hash(replacement),
            actor.sessionId(),
            actor.userId(),
            useCases.now()));
  }

  // ---- administration

  public User createUser(
      Actor admin, String username, String displayName, Role role, char[] password) {
    Access.requireAdmin(admin);
    checkPassword(password);
    String id = useCases.newId();
    String name = username == null ? null : username.strip().toLowerCase();
    useCases.propose(
        new RegisterUser(
            id, name, displayName, role, hasher.hash(password), admin.userId(), useCases.now()));
    return useCases.require(User.class, id, RejectionReason.UNKNOWN_USER);
  }

  /** One account of a {@link #createUsers} batch. */
  public record NewUser(String username, String displayName, Role role, char[] password) {}

  /** What became of one account of a batch: the user created, or the failure that stopped it. */
  public record BatchOutcome(User user, RuntimeException failure) {
    public boolean created() {
      return user != null;
    }
  }

  /**
   * Creates up to {@link #MAX_BATCH} accounts, each on its own: a refused account does not stop the
   * others. Once the cluster is unreachable the remaining accounts are not tried (each would wait
   * for the same timeout) and carry that failure.
   */
  public List<BatchOutcome> createUsers(Actor admin, List<NewUser> users) {
    Access.requireAdmin(admin);
    if (users == null || users.isEmpty() || users.size() > MAX_BATCH) {
      throw Checks.invalid("users", "must list 1-" + MAX_BATCH + " accounts");
    }
    var outcomes = new ArrayList<BatchOutcome>(users.size());
    ClusterUnavailableException unavailable = null;
    for (NewUser u : users) {
      if (unavailable != null) {
        outcomes.add(new BatchOutcome(null, unavailable));
        continue;
      }
      try {
        outcomes.add(
            new BatchOutcome(
                createUser(admin, u.username(), u.displayName(), u.role(), u.password()), null));
      } catch (RejectedException e) {
        outcomes.add(new BatchOutcome(null, e));
      } catch (ClusterUnavailableException e) {
        unavailable = e;
        outcomes.add(new BatchOutcome(null, e));
      }
    }
    return outcomes;
  }

  /**
   * Checks a batch as {@link #createUsers} would create it, creating nothing: each account against
   * the rules of the log and the cluster's committed state (this node first catches up with the
   * leader, so a username taken through another node a moment ago counts as taken), and against the
   * batch's other accounts. An interface that must create all or none checks here first; {@link
   * #createUsers} is not atomic.
   *
   * @return why each refused account (by its position in {@code users}) would be refused; empty
   *     when every account would be created as the cluster stands now
   * @throws ClusterUnavailableException when this node cannot catch up with the cluster
   */
  public SortedMap<Integer, RejectedException> checkNewUsers(Actor admin, List<NewUser> users) {
    Access.requireAdmin(admin);
    if (users == null || users.isEmpty() || users.size() > MAX_BATCH) {
      throw Checks.invalid("users", "must list 1-" + MAX_BATCH + " accounts");
    }
    if (!useCases.catchUp()) {
      throw new ClusterUnavailableException(
          "this node cannot catch up with the cluster to check the accounts", null);
    }
    var refusals = new TreeMap<Integer, RejectedException>();
    var seen = new HashSet<String>();
    Instant now = useCases.now();
    for (int i = 0; i < users.size(); i++) {
      NewUser u = users.get(i);
      String name = u.username() == null ? null : u.username().strip().toLowerCase();
      try {
        checkPassword(u.password());
        useCases.check(
            new RegisterUser(
                useCases.newId(),
                name,
                u.displayName(),
                u.role(),
                UNCHECKED_HASH,
                admin.userId(),
                now));
        if (!seen.add(name)) {
          throw new RejectedException(
              RejectionReason.DUPLICATE_USERNAME,
              "username",
              "the username " + name + " appears more than once in the batch");
        }
      } catch (RejectedException e) {
        refusals.put(i, e);
      }
    }
    return refusals;
  }

  public void setDisabled(Actor admin, String userId, boolean disabled) {
    Access.requireAdmin(admin);
    useCases.propose(new SetUserDisabled(userId, disabled, admin.userId(), useCases.now()));
  }

  public void resetPassword(Actor admin, String userId, char[] password) {
    Access.requireAdmin(admin);
    checkPassword(password);
    useCases.propose(
        new SetPassword(userId, hasher.hash(password), null, admin.userId(), useCases.now()));
  }

  public List<User> listUsers(Actor admin) {
    Access.requireAdmin(admin);
    return useCases.store().find(User.class);
  }

  /** Ends every session that expired by now; the cluster's leader calls this periodically. */
  public void expireSessions() {
    useCases.propose(new ExpireSessions(useCases.now()));
  }

  /** The SHA-256 (hex) of a token: what the log and the store know of a session. */
  public static String sessionIdOf(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void checkPassword(char[] password) {
    if (password == null || password.length < MIN_PASSWORD) {
      throw Checks.invalid("password", "must have at least " + MIN_PASSWORD + " characters");
    }
    if (password.length > MAX_PASSWORD) {
      throw Checks.invalid("password", "must have at most " + MAX_PASSWORD + " characters");
    }
  }

  private static Actor actorOf(User user, String sessionId) {
    return new Actor(user.id(), user.username(), user.role(), sessionId);
  }
}

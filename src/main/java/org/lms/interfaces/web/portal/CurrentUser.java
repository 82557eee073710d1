package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.lms.application.Actor;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.StateStore;

/**
 * Who the current request is signed in as ({@code #{me}} in pages), as the {@link
 * SessionCookieMechanism} established it for this request.
 */
@Named("me")
@RequestScoped
public class CurrentUser {

  @Inject HttpServletRequest request;
  @Inject StateStore store;

  private Optional<User> user;

  /** The signed-in actor, if any. */
  public Optional<Actor> actor() {
    return Optional.ofNullable((Actor) request.getAttribute(SessionCookieMechanism.ACTOR));
  }

  /** The signed-in actor; pages under a security constraint always have one. */
  public Actor require() {
    return actor().orElseThrow(() -> new IllegalStateException("no one is signed in"));
  }

  public boolean isSignedIn() {
    return actor().isPresent();
  }

  public String getUsername() {
    return actor().map(Actor::username).orElse("");
  }

  /** The name to greet the user with: the display name, else the username. */
  public String getDisplayName() {
    if (user == null) {
      user = actor().flatMap(a -> store.get(User.class, a.userId()));
    }
    return user.map(User::displayName).filter(n -> !n.isBlank()).orElse(getUsername());
  }

  public boolean isStudent() {
    return is(Role.STUDENT);
  }

  public boolean isInstructor() {
    return is(Role.INSTRUCTOR);
  }

  public boolean isAdmin() {
    return is(Role.ADMIN);
  }

  private boolean is(Role role) {
    return actor().map(a -> a.is(role)).orElse(false);
  }
}

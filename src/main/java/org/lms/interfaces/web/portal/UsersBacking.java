package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Comparator;
import java.util.List;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;
import org.lms.domain.state.StateStore;

/** Backs {@code admin/users.xhtml}: every account, and a form that creates one. */
@Named
@RequestScoped
public class UsersBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;
  @Inject StateStore store;

  private String username;
  private String displayName;
  private Role role = Role.STUDENT;
  private String password;
  private List<User> users;

  public String create() {
    try {
      User created =
          application
              .accounts()
              .createUser(
                  me.require(),
                  username,
                  displayName,
                  role,
                  password == null ? null : password.toCharArray());
      FacesErrors.info(FacesErrors.text("users.created", created.username(), created.role()));
      username = null;
      displayName = null;
      users = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      password = null;
    }
    return null;
  }

  /** Every account, by username (an admin-only page: the constraint in web.xml says so). */
  public List<User> getUsers() {
    if (users == null) {
      users = store.find(User.class).stream().sorted(Comparator.comparing(User::username)).toList();
    }
    return users;
  }

  public Role[] getRoles() {
    return Role.values();
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}

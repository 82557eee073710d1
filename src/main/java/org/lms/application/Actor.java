package org.lms.application;

import org.lms.domain.model.Role;

/**
 * The signed-in user a use case acts for, as established by the interface from a session token.
 *
 * @param sessionId the SHA-256 of the session's token (never the token)
 */
public record Actor(String userId, String username, Role role, String sessionId) {

  public boolean is(Role r) {
    return role == r;
  }
}

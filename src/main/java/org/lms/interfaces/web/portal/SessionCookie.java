package org.lms.interfaces.web.portal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The portal's session cookie: the replicated session's token, so that any node can continue a
 * browser session (DESIGN.md section 7). HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page can make the browser send it, the first line against cross-site request forgery),
 * Secure when the request came over HTTPS, and scoped to the whole application.
 */
final class SessionCookie {

  static final String NAME = "LMS_SESSION";

  private SessionCookie() {}

  /** The token the browser sent, if any. */
  static Optional<String> read(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    for (Cookie c : cookies) {
      if (NAME.equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank()) {
        return Optional.of(c.getValue());
      }
    }
    return Optional.empty();
  }

  /** Sets the cookie for a new session, living as long as the session does. */
  static void set(
      HttpServletRequest request, HttpServletResponse response, String token, Instant expiresAt) {
    long seconds = Math.max(1, Duration.between(Instant.now(), expiresAt).toSeconds());
    response.addCookie(cookie(request, token, (int) Math.min(Integer.MAX_VALUE, seconds)));
  }

  /** Tells the browser to forget the cookie. */
  static void clear(HttpServletRequest request, HttpServletResponse response) {
    response.addCookie(cookie(request, "", 0));
  }

  private static Cookie cookie(HttpServletRequest request, String value, int maxAge) {
    var c = new Cookie(NAME, value);
    c.setHttpOnly(true);
    c.setSecure(request.isSecure());
    c.setPath(path(request));
    c.setMaxAge(maxAge);
    c.setAttribute("SameSite", "Strict");
    return c;
  }

  private static String path(HttpServletRequest request) {
    String context = request.getContextPath();
    return context == null || context.isEmpty() ? "/" : context;
  }
}

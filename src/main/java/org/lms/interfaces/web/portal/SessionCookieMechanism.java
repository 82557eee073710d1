package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.application.UnauthenticatedException;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;

/**
 * Authenticates every portal request from its session cookie, against the replicated sessions: no
 * state is kept in the node's HTTP session, so a browser whose node died is still signed in on the
 * next one. A missing or ended session on a protected page leads to the sign-in page, which returns
 * the user to where they were going; a role that may not see a page gets 403 from the container's
 * constraints in {@code web.xml}.
 */
@ApplicationScoped
public class SessionCookieMechanism implements HttpAuthenticationMechanism {

  /** The request attribute that holds the signed-in {@link Actor}. */
  static final String ACTOR = SessionCookieMechanism.class.getName() + ".actor";

  static final String SIGN_IN_PAGE = "/login.xhtml";

  @Inject LmsApplication application;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    Optional<String> token = SessionCookie.read(request);
    if (token.isPresent()) {
      try {
        Actor actor = application.accounts().authenticate(token.get());
        request.setAttribute(ACTOR, actor);
        return context.notifyContainerAboutLogin(
            new CallerPrincipal(actor.username()), Set.of(actor.role().name()));
      } catch (UnauthenticatedException e) {
        // ended, expired or unknown everywhere: forget it, the user signs in again
        SessionCookie.clear(request, response);
      } catch (ClusterUnavailableException e) {
        if (context.isProtected()) {
          return unavailable(response);
        }
        return context.doNothing();
      }
    }
    if (context.isProtected()) {
      return context.redirect(signInUrl(request));
    }
    return context.doNothing();
  }

  /** The sign-in page, told where to return afterwards (only ever a path of this application). */
  static String signInUrl(HttpServletRequest request) {
    String target = request.getRequestURI().substring(request.getContextPath().length());
    if (request.getQueryString() != null) {
      target += "?" + request.getQueryString();
    }
    return request.getContextPath()
        + SIGN_IN_PAGE
        + "?next="
        + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  private static AuthenticationStatus unavailable(HttpServletResponse response) {
    try {
      response.sendError(
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          "The cluster cannot confirm your session right now; try again in a moment.");
    } catch (IOException ignored) {
      // the browser went away
    }
    return AuthenticationStatus.SEND_FAILURE;
  }
}

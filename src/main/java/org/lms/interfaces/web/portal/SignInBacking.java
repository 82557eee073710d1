package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.lms.application.LmsApplication;
import org.lms.application.account.SignedIn;

/**
 * Backs {@code login.xhtml}: signs in, sets the session cookie, returns the user where they were.
 */
@Named
@RequestScoped
public class SignInBacking {

  static final String HOME = "/home.xhtml";

  @Inject LmsApplication application;
  @Inject HttpServletRequest request;

  private String username;
  private String password;
  private String next;

  public String signIn() {
    try {
      SignedIn signedIn =
          application.accounts().signIn(username, password == null ? null : password.toCharArray());
      ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
      SessionCookie.set(
          request,
          (HttpServletResponse) external.getResponse(),
          signedIn.token(),
          signedIn.expiresAt());
      external.redirect(request.getContextPath() + safeNext(next));
      FacesContext.getCurrentInstance().responseComplete();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      password = null;
    }
    return null;
  }

  /**
   * Where to go after signing in: the page the user asked for when it is a path of this
   * application, else the home page. Anything else (another host, {@code //host}, a backslash
   * trick, the sign-in page itself) is ignored, so the link cannot send a user elsewhere.
   */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)
        || next.startsWith(SessionCookieMechanism.SIGN_IN_PAGE)) {
      return HOME;
    }
    return next;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }
}

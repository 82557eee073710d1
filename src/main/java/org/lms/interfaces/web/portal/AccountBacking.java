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
import java.util.Objects;
import org.lms.application.LmsApplication;

/** Backs signing out (in the page header) and {@code account/password.xhtml}. */
@Named
@RequestScoped
public class AccountBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;
  @Inject HttpServletRequest request;

  private String currentPassword;
  private String newPassword;
  private String repeatedPassword;

  /** Ends the session everywhere (it is replicated) and forgets the cookie in this browser. */
  public String signOut() {
    ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
    try {
      me.actor().ifPresent(actor -> application.accounts().signOut(actor));
      SessionCookie.clear(request, (HttpServletResponse) external.getResponse());
      external.invalidateSession();
      external.redirect(
          request.getContextPath() + SessionCookieMechanism.SIGN_IN_PAGE + "?signedOut=true");
      FacesContext.getCurrentInstance().responseComplete();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public String changePassword() {
    try {
      if (!Objects.equals(newPassword, repeatedPassword)) {
        FacesErrors.error("password:repeated", FacesErrors.text("password.mismatch"));
        return null;
      }
      application
          .accounts()
          .changePassword(me.require(), chars(currentPassword), chars(newPassword));
      FacesErrors.info(FacesErrors.text("password.changed"));
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    } finally {
      currentPassword = null;
      newPassword = null;
      repeatedPassword = null;
    }
    return null;
  }

  private static char[] chars(String s) {
    return s == null ? null : s.toCharArray();
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getRepeatedPassword() {
    return repeatedPassword;
  }

  public void setRepeatedPassword(String repeatedPassword) {
    this.repeatedPassword = repeatedPassword;
  }
}

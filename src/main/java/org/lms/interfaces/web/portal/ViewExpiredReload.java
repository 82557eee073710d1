package org.lms.interfaces.web.portal;

import jakarta.faces.FacesException;
import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Iterator;

/**
 * Reloads the same page when a form is posted to a view this node no longer has (the session timed
 * out, or the page was rendered by another node that has since died), instead of an error: the user
 * sees the page afresh, with a message, and can do again what they were doing. Registered in {@code
 * faces-config.xml}.
 */
public final class ViewExpiredReload extends ExceptionHandlerFactory {

  public ViewExpiredReload(ExceptionHandlerFactory wrapped) {
    super(wrapped);
  }

  @Override
  public ExceptionHandler getExceptionHandler() {
    return new Handler(getWrapped().getExceptionHandler());
  }

  private static final class Handler extends ExceptionHandlerWrapper {

    Handler(ExceptionHandler wrapped) {
      super(wrapped);
    }

    @Override
    public void handle() {
      Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator();
      while (events.hasNext()) {
        Throwable t = events.next().getContext().getException();
        if (isViewExpired(t)) {
          events.remove();
          reload();
          break;
        }
      }
      getWrapped().handle();
    }

    private static boolean isViewExpired(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof ViewExpiredException) {
          return true;
        }
      }
      return false;
    }

    private static void reload() {
      FacesContext faces = FacesContext.getCurrentInstance();
      ExternalContext external = faces.getExternalContext();
      HttpServletRequest request = (HttpServletRequest) external.getRequest();
      String target = request.getRequestURI();
      if (request.getQueryString() != null) {
        target += "?" + request.getQueryString();
      }
      try {
        external.getFlash().setKeepMessages(true);
        FacesErrors.info(FacesErrors.text("page.reloaded"));
        external.redirect(target);
        faces.responseComplete();
      } catch (IOException e) {
        throw new FacesException(e);
      }
    }
  }
}

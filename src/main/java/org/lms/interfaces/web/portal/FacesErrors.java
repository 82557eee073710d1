package org.lms.interfaces.web.portal;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.TooManyAttemptsException;
import org.lms.application.UnauthenticatedException;
import org.lms.application.assistant.AiAssistant.AssistantUnavailableException;
import org.lms.application.port.CommandGateway.ClusterUnavailableException;
import org.lms.domain.state.RejectedException;

/**
 * The one place where a failure becomes a Faces message for the user: the rule a rejected command
 * broke in its own words, a clear sentence for unavailability (of the cluster, or the AI
 * assistant's own) and throttling, and for anything unexpected a generic sentence with an incident
 * id that the log holds with the stack trace (which a user never sees). Texts come from the
 * portal's one message bundle, {@code messages}.
 */
final class FacesErrors {

  private static final Logger LOG = Logger.getLogger(FacesErrors.class.getName());
  static final String BUNDLE = "org.lms.interfaces.web.portal.messages";

  private FacesErrors() {}

  /** Shows {@code failure} as an error message on the page, for {@code clientId} (null: global). */
  static void show(String clientId, RuntimeException failure) {
    String text;
    if (failure instanceof RejectedException rejected) {
      text = rejected.rejection().message();
    } else if (failure instanceof UnauthenticatedException) {
      text = text("error.unauthenticated");
    } else if (failure instanceof TooManyAttemptsException throttled) {
      text = text("error.throttled", Math.max(1, throttled.retryAfter().toSeconds()));
    } else if (failure instanceof AssistantUnavailableException unavailable) {
      text = unavailable.getMessage(); // written for the user, saying what became of the question
    } else if (failure instanceof ClusterUnavailableException) {
      text = text("error.unavailable");
    } else {
      String incident = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "unexpected failure in the portal, incident " + incident, failure);
      text = text("error.internal", incident);
    }
    error(clientId, text);
  }

  static void error(String clientId, String text) {
    FacesContext.getCurrentInstance()
        .addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
  }

  static void info(String text) {
    FacesContext.getCurrentInstance()
        .addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
  }

  /** Keeps this request's messages for the page a redirect opens next (the flash). */
  static void keepMessages() {
    FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
  }

  /** A text of the bundle, with its {0}-style arguments filled in. */
  static String text(String key, Object... args) {
    String pattern = ResourceBundle.getBundle(BUNDLE, Locale.ENGLISH).getString(key);
    return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ENGLISH).format(args);
  }
}

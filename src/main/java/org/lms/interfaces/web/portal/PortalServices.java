package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.lms.application.LmsApplication;
import org.lms.domain.state.StateStore;

/**
 * The use cases and the node's store for the view-scoped page beans. Those must hold only what can
 * be serialized with the view; a request-scoped bean is reached through a serializable proxy, which
 * Weld accepts where it refuses the use cases themselves (a plain final class).
 */
@RequestScoped
public class PortalServices {

  @Inject LmsApplication application;
  @Inject StateStore store;

  public LmsApplication application() {
    return application;
  }

  public StateStore store() {
    return store;
  }
}

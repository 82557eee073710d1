package org.lms.interfaces.web.portal;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.lms.application.LmsApplication;
import org.lms.domain.state.StateStore;

/**
 * The use cases and the node's store for the view-scoped page beans. Those must hold only what can
 * be serialized with the view; a request-scoped bean is reached through a serializable proxy, which
 * Weld accepts where it refuses the use cases themselves (a plain final class). Also the
 * container's managed executor, for work that outlives the request (an AI answer being written).
 */
@RequestScoped
public class PortalServices {

  @Inject LmsApplication application;
  @Inject StateStore store;
  @Resource ManagedExecutorService executor;

  public LmsApplication application() {
    return application;
  }

  public StateStore store() {
    return store;
  }

  /** The container's default managed executor: its threads may call the use cases. */
  public ManagedExecutorService executor() {
    return executor;
  }
}

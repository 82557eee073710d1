package org.lms.interfaces.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.lms.application.port.LanguageModel;

/**
 * {@code GET /api/ai/health}: whether this node's model server answers and holds the configured
 * model; 200 when it does, 503 when not, with the reason in {@code detail}.
 *
 * <p>Deliberately not a MicroProfile {@code @Readiness} check: a load balancer would then take the
 * whole node out of service while Ollama is down, yet the node must keep serving grades,
 * submissions and the portal; questions simply stay open for the instructor. Operators and the
 * process-level tests read this endpoint instead.
 */
@Path("ai/health")
@RequestScoped
public class AiHealthResource {

  @Inject LanguageModel languageModel;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    LanguageModel.Health health = languageModel.health();
    return Response.status(health.up() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
        .entity(AiHealthView.of(health))
        .build();
  }
}

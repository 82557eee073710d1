package org.lms.interfaces.web;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;
import org.lms.infrastructure.config.NodeConfig;
import org.lms.infrastructure.security.ClusterSecret;

/**
 * Lets an {@link OperatorOnly} request through only when its {@value #HEADER} header is the cluster
 * secret; anything else gets 401 with a one-line reason before the resource runs. The secret is
 * never logged or echoed.
 */
@Provider
@OperatorOnly
@Priority(Priorities.AUTHENTICATION)
public class OperatorAccessFilter implements ContainerRequestFilter {

  /** The request header that carries the cluster secret. */
  public static final String HEADER = "X-Lms-Cluster-Secret";

  private static final Logger LOG = Logger.getLogger(OperatorAccessFilter.class.getName());

  @Inject NodeConfig config;

  private volatile ClusterSecret secret;

  @Override
  public void filter(ContainerRequestContext request) {
    String refusal = refusal(secret(), request.getHeaderString(HEADER));
    if (refusal != null) {
      LOG.warning(
          () ->
              "refused "
                  + request.getMethod()
                  + " /"
                  + request.getUriInfo().getPath()
                  + ": "
                  + refusal);
      request.abortWith(
          Response.status(Response.Status.UNAUTHORIZED)
              .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
              .entity(refusal + "\n")
              .build());
    }
  }

  /** Why a request offering {@code offered} is refused, or null when it may pass. */
  static String refusal(ClusterSecret secret, String offered) {
    if (offered == null || offered.isEmpty()) {
      return "this operation is for the cluster's operator: send the cluster secret in " + HEADER;
    }
    return secret.matches(offered) ? null : "the cluster secret in " + HEADER + " is wrong";
  }

  private ClusterSecret secret() {
    ClusterSecret s = secret;
    if (s == null) {
      s = new ClusterSecret(config.clusterSecret());
      secret = s;
    }
    return s;
  }
}

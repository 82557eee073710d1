package org.lms.interfaces.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.lms.application.port.ClusterStatus;
import org.lms.infrastructure.node.LmsNode;
import org.lms.infrastructure.node.LmsNode.StateDigest;

/**
 * {@code GET /api/status}: this node's Raft role, term, indexes and leader, and the group's
 * members, for {@code ./lms status}, the process-level tests and operators.
 */
@Path("status")
@RequestScoped
public class StatusResource {

  @Inject ClusterStatus clusterStatus;
  @Inject LmsNode node;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public StatusView status() {
    return StatusView.of(clusterStatus.local(), clusterStatus.members());
  }

  /**
   * {@code GET /api/status/digest}: a SHA-256 over this node's whole LMS state and the applied
   * index it belongs to. Two nodes at the same applied index must show the same digest.
   */
  @GET
  @Path("digest")
  @Produces(MediaType.APPLICATION_JSON)
  public StateDigest digest() {
    return node.stateDigest();
  }
}

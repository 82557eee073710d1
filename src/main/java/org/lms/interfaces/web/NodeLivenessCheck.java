package org.lms.interfaces.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.lms.application.port.ClusterStatus;

/**
 * Live while the node's Raft server runs; a node without a quorum is still live (it is waiting, not
 * broken), so a supervisor does not restart it for its peers' absence.
 */
@Liveness
@ApplicationScoped
public class NodeLivenessCheck implements HealthCheck {

  static final String NAME = "lms-node";

  @Inject ClusterStatus clusterStatus;

  @Override
  public HealthCheckResponse call() {
    try {
      var status = clusterStatus.local();
      return HealthCheckResponse.named(NAME)
          .status(!status.isDown())
          .withData("nodeId", status.nodeId())
          .withData("role", status.role())
          .build();
    } catch (RuntimeException e) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("error", String.valueOf(e.getMessage()))
          .build();
    }
  }
}

package org.lms.interfaces.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.ClusterStatus.NodeStatus;

/**
 * Ready when the node can serve writes and fresh reads: a leader is known and the node has applied
 * (nearly) everything committed. A load balancer sends users only to ready nodes.
 */
@Readiness
@ApplicationScoped
public class RaftReadinessCheck implements HealthCheck {

  static final String NAME = "lms-raft";

  @Inject ClusterStatus clusterStatus;

  @Override
  public HealthCheckResponse call() {
    try {
      return response(clusterStatus.local());
    } catch (RuntimeException e) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("error", String.valueOf(e.getMessage()))
          .build();
    }
  }

  static HealthCheckResponse response(NodeStatus status) {
    return HealthCheckResponse.named(NAME)
        .status(status.ready())
        .withData("nodeId", status.nodeId())
        .withData("role", status.role())
        .withData("term", status.term())
        .withData("leaderId", status.leaderId().orElse("none"))
        .withData("commitIndex", status.commitIndex())
        .withData("appliedIndex", status.appliedIndex())
        .build();
  }
}

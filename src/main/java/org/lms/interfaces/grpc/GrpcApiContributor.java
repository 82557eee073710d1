package org.lms.interfaces.grpc;

import io.grpc.ServerServiceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.lms.infrastructure.node.NodeGrpcContributor;
import org.lms.infrastructure.node.NodeServices;

/**
 * Puts the public API (lms.v1, health, reflection) on the node's gRPC server. A CDI bean so that
 * the node's wiring, which may not depend on interfaces, finds it.
 */
@ApplicationScoped
public class GrpcApiContributor implements NodeGrpcContributor {
  private LmsGrpcServices api;

  @Override
  public synchronized List<ServerServiceDefinition> services(NodeServices node) {
    api =
        new LmsGrpcServices(
            node.application(),
            node.gateway(),
            node.clusterStatus(),
            node.config().dataDir().resolve("upload-spool"));
    return api.services();
  }

  @Override
  public synchronized void close() {
    if (api != null) {
      api.close();
      api = null;
    }
  }
}

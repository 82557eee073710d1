package org.lms.infrastructure.node;

import io.grpc.ServerServiceDefinition;
import java.util.List;

/**
 * Adds services to the node's one gRPC server, beside the internal blob replication: implemented as
 * a CDI bean by the public API's wiring, which lives in {@code interfaces} where adapters may not
 * reach. {@link LmsNode} asks every such bean once while the node starts, before it joins the Raft
 * group, and closes them when it stops, after the gRPC server stopped.
 */
public interface NodeGrpcContributor {

  /** The service definitions to serve, each already wrapped in the interceptors it needs. */
  List<ServerServiceDefinition> services(NodeServices node);

  /** Releases what {@link #services} started (e.g. a health poller). */
  default void close() {}
}

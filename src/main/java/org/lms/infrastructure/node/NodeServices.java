package org.lms.infrastructure.node;

import org.lms.application.LmsApplication;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.CommandGateway;
import org.lms.infrastructure.config.NodeConfig;

/**
 * What a starting node hands a {@link NodeGrpcContributor}: its configuration, its use cases, its
 * command gateway and its Raft status (which reports {@code DOWN} until the Raft server runs).
 */
public record NodeServices(
    NodeConfig config,
    LmsApplication application,
    CommandGateway gateway,
    ClusterStatus clusterStatus) {}

/**
 * The node's gRPC plumbing: the server that hosts the internal and public services, the cluster
 * secret check for node-to-node calls, and the client channels to the peers.
 */
package org.lms.infrastructure.grpc;

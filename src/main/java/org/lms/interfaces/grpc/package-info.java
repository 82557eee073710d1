/**
 * The public gRPC API (package lms.v1, generated into {@code v1}): services that parse a request,
 * call one use case and render its answer; one interceptor for bearer-token authentication; one
 * mapper from failures to gRPC statuses. No business rule lives here. {@link
 * org.lms.interfaces.grpc.LmsGrpcServices} assembles it for a node's gRPC server.
 */
package org.lms.interfaces.grpc;

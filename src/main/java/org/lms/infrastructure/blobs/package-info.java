/**
 * Content-addressed file storage (DESIGN.md section 6): bytes on this node's disk under their
 * SHA-256, replicated to a majority of the nodes over the internal {@code BlobReplication} gRPC
 * service before a command may reference them. File names never become paths here; only validated
 * hashes do.
 */
package org.lms.infrastructure.blobs;

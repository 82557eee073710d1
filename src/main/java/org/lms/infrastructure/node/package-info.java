/**
 * The node's life in the container: reads its configuration, starts the store, the Raft node, the
 * blob store and the internal gRPC server when the application starts, stops them in reverse, and
 * offers the application's ports as CDI beans. Wiring only: no business rules live here.
 */
package org.lms.infrastructure.node;

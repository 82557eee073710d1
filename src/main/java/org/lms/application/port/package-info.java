/**
 * Ports the use cases need from the outside world, implemented in {@code infrastructure}: the
 * command gateway (Raft), the blob store, password hashing and the clock.
 */
package org.lms.application.port;

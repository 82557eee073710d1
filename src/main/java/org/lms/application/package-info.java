/**
 * Use cases: who may do what, the instant and ids a command carries, proposing it through the
 * {@code CommandGateway} and reading the local store. The gRPC API and the portal call only these.
 */
package org.lms.application;

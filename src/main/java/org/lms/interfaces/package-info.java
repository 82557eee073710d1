/**
 * Doors into a node: web pages and status endpoints, gRPC services. They translate, then call one
 * use case.
 */
package org.lms.interfaces;

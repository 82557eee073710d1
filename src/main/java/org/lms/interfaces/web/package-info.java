/**
 * The node's web door for operators: the JAX-RS status resources under {@code /api}, the
 * MicroProfile Health checks and the backing bean of the status page. They read the node's {@code
 * ClusterStatus} port and render it; they decide nothing.
 */
package org.lms.interfaces.web;

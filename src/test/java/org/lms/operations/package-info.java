/**
 * Tests of the deployment files at the repository's root (the container images, the compose file)
 * against the launcher {@code ./lms}, so the ways of running a cluster stay equivalent.
 */
package org.lms.operations;

/** Password hashing for the accepting node: only hashes reach the Raft log. */
package org.lms.infrastructure.security;

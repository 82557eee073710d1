/**
 * Password hashing for the accepting node (only hashes reach the Raft log) and the check of the
 * cluster secret.
 */
package org.lms.infrastructure.security;

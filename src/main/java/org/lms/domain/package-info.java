/**
 * The LMS domain: entities, the commands that change them and the deterministic state machine that
 * applies commands. Nothing here imports a framework, reads a clock, a random source, the network
 * or a file: the same log gives the same state on every node.
 */
package org.lms.domain;

/**
 * Apache Ratis adapter: the Raft server, the log codec, the command gateway. The log schema's
 * generated classes ({@code org.lms.infrastructure.raft.log.v1}) are used here and nowhere else.
 */
package org.lms.infrastructure.raft;

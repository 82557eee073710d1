/**
 * Every state change of the LMS, one immutable record each, named in the imperative. A command
 * carries every input its application needs: new ids, the acting user and the instant chosen by the
 * node that accepted the request. Commands are encoded into the Raft log by the infrastructure's
 * log codec (protobuf), never by Java serialization.
 */
package org.lms.domain.command;

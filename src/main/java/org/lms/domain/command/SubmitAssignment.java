package org.lms.domain.command;

import java.time.Instant;

/**
 * A student hands in a file (bytes already on a majority of nodes). {@code issuedAt} is the
 * submission time stamped by the accepting node: it decides lateness and the cut-off.
 */
public record SubmitAssignment(
    String submissionId,
    String assignmentId,
    String fileName,
    long size,
    String mediaType,
    String sha256,
    String actorId,
    Instant issuedAt)
    implements Command {}

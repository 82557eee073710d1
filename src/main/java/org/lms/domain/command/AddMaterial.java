package org.lms.domain.command;

import java.time.Instant;

/** An instructor publishes a file whose bytes a majority of nodes already hold. */
public record AddMaterial(
    String materialId,
    String courseId,
    String title,
    String fileName,
    long size,
    String mediaType,
    String sha256,
    String actorId,
    Instant issuedAt)
    implements Command {}

package org.lms.domain.model;

import java.time.Instant;

/** A file an instructor published in a course. The bytes live in the blob store under sha256. */
public record Material(
    String id,
    String courseId,
    String title,
    String fileName,
    long size,
    String mediaType,
    String sha256,
    String uploadedBy,
    Instant uploadedAt)
    implements Entity {}

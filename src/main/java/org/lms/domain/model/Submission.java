package org.lms.domain.model;

import java.time.Instant;

/**
 * One immutable version of a student's hand-in. A resubmission is a new version; nothing is ever
 * overwritten. {@code submittedAt} was stamped by the node that accepted the upload.
 */
public record Submission(
    String id,
    String assignmentId,
    String courseId,
    String studentId,
    int version,
    String fileName,
    long size,
    String mediaType,
    String sha256,
    Instant submittedAt,
    boolean late)
    implements Entity {}

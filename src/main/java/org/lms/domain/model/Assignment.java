package org.lms.domain.model;

import java.time.Instant;

/**
 * Work students hand in: accepted from {@code opensAt}, late after {@code dueAt}, refused after
 * {@code cutoffAt}.
 */
public record Assignment(
    String id,
    String courseId,
    String title,
    String description,
    Instant opensAt,
    Instant dueAt,
    Instant cutoffAt,
    int maxPoints,
    String createdBy,
    Instant createdAt,
    Instant updatedAt)
    implements Entity {}

package org.lms.application.port;

import java.util.List;

/**
 * The searchable text of each course's material, kept by every node for itself and derived from the
 * replicated state (the materials and their bytes), so it can always be rebuilt.
 */
public interface CourseKnowledge {

  /**
   * The passages of course {@code courseId}'s current material that best match {@code question},
   * best first, at most {@code limit}; empty when the course has no readable material.
   */
  List<Passage> search(String courseId, String question, int limit);

  /**
   * A passage of one material: its text and where it comes from. {@code page} is 1-based for paged
   * documents (PDF) and 0 for those without pages; {@code section} is the heading it sits under
   * (Markdown), or null.
   */
  record Passage(String materialId, String materialTitle, int page, String section, String text) {}
}

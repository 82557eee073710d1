package org.lms.domain.model;

/**
 * A source a model's answer cites: a passage of course material, by material id, the title the
 * material had when the answer was given, and the page (1-based; 0 for documents without pages) or
 * the section heading. {@code ordinal} is the number the answer's text refers to it by ("[2]"); its
 * id is the answer's id, {@code '#'} and that number.
 */
public record Citation(
    String id,
    String answerId,
    String questionId,
    String courseId,
    int ordinal,
    String materialId,
    String materialTitle,
    int page,
    String section)
    implements Entity {

  public static String idOf(String answerId, int ordinal) {
    return answerId + "#" + ordinal;
  }
}

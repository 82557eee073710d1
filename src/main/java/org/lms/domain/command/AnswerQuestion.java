package org.lms.domain.command;

import java.time.Instant;
import java.util.List;
import org.lms.domain.model.Answer.AuthorKind;

/**
 * An answer to a question: written by an instructor of the course, or produced once by a model on
 * the request of {@code actorId} and committed with the model's name and the prompt's SHA-256, so
 * that a replay never calls the model again. A model's answer carries the {@code sources} it cites,
 * each with the number its text refers to it by ("[2]"); an instructor's answer carries none.
 */
public record AnswerQuestion(
    String answerId,
    String questionId,
    AuthorKind authorKind,
    String model,
    String promptSha256,
    String text,
    String actorId,
    Instant issuedAt,
    List<Source> sources)
    implements Command {

  public AnswerQuestion {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /**
   * A passage the answer cites: the number the answer refers to it by (from 1), the material's id
   * and title, the page (1-based, 0 when the document has no pages) and the section heading (or
   * null).
   */
  public record Source(
      int number, String materialId, String materialTitle, int page, String section) {}
}

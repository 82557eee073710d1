package org.lms.interfaces.web.portal;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.User;

/**
 * A grade's history as the portal shows it: one row per version, oldest first, with the points, the
 * feedback (also shortened, for the table), whether it was released and AI-assisted, and who made
 * the change and when. Built from the replicated {@link GradeEvent}s the grading use case returns;
 * knows nothing of Faces, so it is tested on its own.
 */
public final class GradeHistory {

  /** Feedback longer than this is shown shortened, the whole text a click away. */
  static final int SHORT_FEEDBACK = 80;

  /**
   * One version of the grade. {@code change} is {@code GRADED} or {@code RELEASED}; {@code
   * shortFeedback} equals {@code feedback} unless {@code shortened}; {@code byName} and {@code
   * byUsername} name who changed it ({@code "?"} for an account that no longer exists).
   */
  public record Row(
      long version,
      String change,
      String points,
      String feedback,
      String shortFeedback,
      boolean shortened,
      boolean released,
      boolean aiAssisted,
      String byName,
      String byUsername,
      Instant at) {

    /** The moment in ISO 8601, for the {@code datetime} of a {@code <time>} element. */
    public String atIso() {
      return at == null ? "" : at.toString();
    }
  }

  private GradeHistory() {}

  /** The rows of {@code events} in version order; {@code users} finds an account by its id. */
  static List<Row> of(List<GradeEvent> events, Function<String, Optional<User>> users) {
    return events.stream()
        .sorted(Comparator.comparingLong(GradeEvent::version))
        .map(e -> row(e, users.apply(e.actorId())))
        .toList();
  }

  private static Row row(GradeEvent e, Optional<User> by) {
    String feedback = e.feedback() == null ? "" : e.feedback();
    String shortFeedback = shorten(feedback);
    return new Row(
        e.version(),
        e.change().name(),
        PortalPages.points(e.points()),
        feedback,
        shortFeedback,
        !shortFeedback.equals(feedback),
        e.released(),
        e.aiAssisted(),
        by.map(User::displayName).orElse("?"),
        by.map(User::username).orElse("?"),
        e.at());
  }

  /**
   * {@code text} on one line and at most {@link #SHORT_FEEDBACK} characters: cut at a space where
   * one is near the end, with an ellipsis, when it is longer.
   */
  static String shorten(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.length() <= SHORT_FEEDBACK) {
      return oneLine;
    }
    int cut = oneLine.lastIndexOf(' ', SHORT_FEEDBACK - 1);
    if (cut < SHORT_FEEDBACK / 2) {
      cut = SHORT_FEEDBACK - 1;
      if (Character.isHighSurrogate(oneLine.charAt(cut - 1))) {
        cut--; // never half a character
      }
    }
    return oneLine.substring(0, cut).stripTrailing() + "…";
  }
}

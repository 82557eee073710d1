package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.GradeEvent.GradeChange;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;

class GradeHistoryTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private final User grace =
      new User("u-grace", "grace", "Grace Instructor", Role.INSTRUCTOR, "h", false, T);
  private final Map<String, User> users = Map.of(grace.id(), grace);

  @Test
  void everyVersionInOrderWithWhoAndWhen() {
    var rows =
        GradeHistory.of(
            List.of(
                event(3, GradeChange.RELEASED, 90, "Well argued; cite the paper.", true, 300),
                event(1, GradeChange.GRADED, 87, "Well argued.", false, 100),
                event(2, GradeChange.GRADED, 90.5, "Well argued; cite the paper.", false, 200)),
            id -> Optional.ofNullable(users.get(id)));

    assertThat(rows).extracting(GradeHistory.Row::version).containsExactly(1L, 2L, 3L);
    assertThat(rows)
        .extracting(GradeHistory.Row::change)
        .containsExactly("GRADED", "GRADED", "RELEASED");
    assertThat(rows).extracting(GradeHistory.Row::points).containsExactly("87", "90.5", "90");
    assertThat(rows).extracting(GradeHistory.Row::released).containsExactly(false, false, true);
    GradeHistory.Row first = rows.get(0);
    assertThat(first.byName()).isEqualTo("Grace Instructor");
    assertThat(first.byUsername()).isEqualTo("grace");
    assertThat(first.at()).isEqualTo(T.plusSeconds(100));
    assertThat(first.atIso()).isEqualTo("2026-11-01T10:01:40Z");
    assertThat(first.shortened()).isFalse();
    assertThat(first.shortFeedback()).isEqualTo("Well argued.");
  }

  @Test
  void longFeedbackIsShortenedAtAWordAndKeptWhole() {
    String whole =
        "You state the claim clearly; now show why two majorities of the same cluster must share"
            + " at least one server, and cite the paper.";
    var row =
        GradeHistory.of(
                List.of(event(1, GradeChange.GRADED, 60, whole, false, 1)),
                id -> Optional.of(grace))
            .get(0);

    assertThat(row.shortened()).isTrue();
    assertThat(row.feedback()).isEqualTo(whole);
    assertThat(row.shortFeedback())
        .hasSizeLessThanOrEqualTo(GradeHistory.SHORT_FEEDBACK + 1)
        .isEqualTo("You state the claim clearly; now show why two majorities of the same cluster…");
  }

  @Test
  void feedbackOnSeveralLinesIsShownOnOneWithTheWholeAClickAway() {
    assertThat(GradeHistory.shorten("Good.\nCite the paper.")).isEqualTo("Good. Cite the paper.");
    assertThat(GradeHistory.shorten("")).isEmpty();
    // no space to cut at: cut at the limit, never inside a character
    String emoji = "\uD83D\uDE00".repeat(60);
    String cut = GradeHistory.shorten(emoji);
    assertThat(cut).endsWith("…");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
  }

  @Test
  void aChangeByAnAccountThatIsGoneShowsAQuestionMark() {
    var row =
        GradeHistory.of(
                List.of(event(1, GradeChange.GRADED, 5, null, false, 1)), id -> Optional.empty())
            .get(0);

    assertThat(row.byName()).isEqualTo("?");
    assertThat(row.byUsername()).isEqualTo("?");
    assertThat(row.feedback()).isEmpty();
  }

  private GradeEvent event(
      long version,
      GradeChange change,
      double points,
      String feedback,
      boolean released,
      long secondsAfterT) {
    return new GradeEvent(
        GradeEvent.idOf("s1", version),
        "s1",
        "c1",
        version,
        change,
        points,
        feedback,
        released,
        grace.id(),
        T.plusSeconds(secondsAfterT),
        false);
  }
}

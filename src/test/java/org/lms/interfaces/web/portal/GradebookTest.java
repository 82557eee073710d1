package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;

class GradebookTest {

  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  private final Assignment essay = assignment("a-essay", "Essay", 2, 100);
  private final Assignment quiz = assignment("a-quiz", "Quiz", 1, 10);
  private final User ada = student("u-ada", "ada");
  private final User bob = student("u-bob", "bob");
  private final User cy = student("u-cy", "cy");

  @Test
  void rowsPerStudentColumnsInDueOrderAndTheLastGradeCounts() {
    var book =
        Gradebook.of(
            List.of(essay, quiz),
            List.of(cy, ada, bob),
            List.of(
                grade("s1", essay, ada, 40, true, 1, 5),
                grade("s2", essay, ada, 90, false, 1, 9), // a later version, graded later
                grade("s3", quiz, ada, 10, true, 1, 3),
                grade("s4", quiz, bob, 5, true, 1, 3)));

    assertThat(book.columns())
        .extracting(c -> c.assignment().title())
        .containsExactly("Quiz", "Essay");
    assertThat(book.rows())
        .extracting(r -> r.student().username())
        .containsExactly("ada", "bob", "cy");
    var ada = book.rows().get(0);
    assertThat(ada.cells())
        .containsExactly(
            new Gradebook.Cell("10", false, false), new Gradebook.Cell("90", true, false));
    assertThat(ada.percent()).isEqualTo("90.9 %"); // 100 of 110
    assertThat(book.rows().get(1).cells())
        .containsExactly(new Gradebook.Cell("5", false, false), Gradebook.Cell.NONE);
    assertThat(book.rows().get(2).percent()).isEmpty();
  }

  @Test
  void eachColumnHasCountMeanMedianAndRange() {
    var book =
        Gradebook.of(
            List.of(essay, quiz),
            List.of(ada, bob, cy),
            List.of(
                grade("s1", essay, ada, 90, true, 1, 1),
                grade("s2", essay, bob, 60, true, 1, 1),
                grade("s3", essay, cy, 75.5, true, 1, 1)));

    var essayColumn = book.columns().get(1);
    assertThat(essayColumn.graded()).isEqualTo(3);
    assertThat(essayColumn.mean()).isEqualTo("75.2");
    assertThat(essayColumn.median()).isEqualTo("75.5");
    assertThat(essayColumn.min()).isEqualTo("60");
    assertThat(essayColumn.max()).isEqualTo("90");
    var quizColumn = book.columns().get(0);
    assertThat(quizColumn.graded()).isZero();
    assertThat(quizColumn.mean()).isEqualTo("—");
  }

  @Test
  void theDistributionCountsEveryGradeInItsTenthOfTheMaximum() {
    var book =
        Gradebook.of(
            List.of(essay, quiz),
            List.of(ada, bob, cy),
            List.of(
                grade("s1", essay, ada, 100, true, 1, 1), // 100 % falls in the top band
                grade("s2", essay, bob, 89.9, true, 1, 1),
                grade("s3", essay, cy, 0, true, 1, 1),
                grade("s4", quiz, ada, 9, true, 1, 1),
                grade("s5", quiz, bob, 12, true, 1, 1))); // above the maximum: top band

    var bands = book.distribution();
    assertThat(bands).hasSize(10);
    assertThat(bands.get(0)).isEqualTo(new Gradebook.Band("0-9 %", 1));
    assertThat(bands.get(8)).isEqualTo(new Gradebook.Band("80-89 %", 1));
    assertThat(bands.get(9)).isEqualTo(new Gradebook.Band("90-100 %", 3));
    assertThat(book.graded()).isEqualTo(5);
  }

  @Test
  void theChartIsChartJsBarJsonWithEscapedLabels() {
    var book =
        Gradebook.of(List.of(quiz), List.of(ada), List.of(grade("s1", quiz, ada, 10, true, 1, 1)));

    String json = book.chartJson("Grades \"all\"", "Share </script>", "Count");

    assertThat(json)
        .startsWith("{\"type\":\"bar\"")
        .contains("\"data\":[0,0,0,0,0,0,0,0,0,1]")
        .contains("\"label\":\"Grades \\\"all\\\"\"")
        .contains("Share \\u003c/script>")
        .doesNotContain("</script>");
    assertThat(Gradebook.json("a\\b\nc")).isEqualTo("\"a\\\\b\\u000ac\"");
  }

  private static Assignment assignment(String id, String title, int dueDay, int maxPoints) {
    return new Assignment(
        id,
        "c1",
        title,
        "",
        T,
        T.plusSeconds(dueDay * 86_400L),
        T.plusSeconds(9 * 86_400L),
        maxPoints,
        "u-t",
        T,
        T);
  }

  private static User student(String id, String username) {
    return new User(id, username, username.toUpperCase(), Role.STUDENT, "x", false, T);
  }

  private static Grade grade(
      String submission,
      Assignment a,
      User s,
      double points,
      boolean released,
      long version,
      int minute) {
    return new Grade(
        submission,
        a.id(),
        "c1",
        s.id(),
        points,
        "",
        released,
        version,
        "u-t",
        T.plusSeconds(60L * minute),
        released ? T : null,
        false);
  }
}

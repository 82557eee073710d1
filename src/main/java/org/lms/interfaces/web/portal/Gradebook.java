package org.lms.interfaces.web.portal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Grade;
import org.lms.domain.model.User;

/**
 * A course's grades arranged for its instructors: one row per student, one column per assignment
 * (in due order), each column's statistics, and how the grades spread over ten bands of the
 * maximum, with that spread as a Chart.js bar chart configuration for {@code p:chart}. Built from
 * what the use cases return; knows nothing of Faces, so it is tested on its own.
 *
 * <p>A student graded on more than one version of an assignment counts with the grade given last.
 * Drafts count too (they are marked): the instructor sees the whole picture before releasing.
 */
public final class Gradebook {

  /** Ten bands of the maximum: 0-9 %, ..., 80-89 %, 90-100 %. */
  static final int BANDS = 10;

  /** An assignment with the statistics of its grades ({@code "—"} when nobody is graded). */
  public record Column(
      Assignment assignment, int graded, String mean, String median, String min, String max) {}

  /**
   * One student's grade on one assignment: points, or empty; {@code draft} while unreleased, {@code
   * aiAssisted} when its feedback began as an approved AI draft.
   */
  public record Cell(String points, boolean draft, boolean aiAssisted) {
    static final Cell NONE = new Cell("", false, false);
  }

  /** A student's row: a cell per column, and the share of the maximum over graded work. */
  public record Row(User student, List<Cell> cells, String percent) {}

  /** One band of the distribution: its label ({@code 90-100 %}) and how many grades fall in it. */
  public record Band(String label, int count) {}

  private final List<Column> columns = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final int[] bands = new int[BANDS];

  private Gradebook() {}

  /** The gradebook of {@code students} (rows) and {@code assignments} (columns). */
  static Gradebook of(List<Assignment> assignments, List<User> students, List<Grade> grades) {
    var book = new Gradebook();
    List<Assignment> ordered =
        assignments.stream()
            .sorted(Comparator.comparing(Assignment::dueAt).thenComparing(Assignment::title))
            .toList();
    Map<String, Grade> last = new HashMap<>();
    for (Grade g : grades) {
      last.merge(key(g.studentId(), g.assignmentId()), g, Gradebook::later);
    }
    for (Assignment a : ordered) {
      List<Double> points = new ArrayList<>();
      for (User s : students) {
        Grade g = last.get(key(s.id(), a.id()));
        if (g != null) {
          points.add(g.points());
          book.count(g.points(), a.maxPoints());
        }
      }
      book.columns.add(column(a, points));
    }
    students.stream()
        .sorted(Comparator.comparing(User::username))
        .forEach(s -> book.rows.add(row(s, ordered, last)));
    return book;
  }

  private static Row row(User student, List<Assignment> assignments, Map<String, Grade> last) {
    List<Cell> cells = new ArrayList<>();
    double earned = 0;
    long possible = 0;
    for (Assignment a : assignments) {
      Grade g = last.get(key(student.id(), a.id()));
      if (g == null) {
        cells.add(Cell.NONE);
      } else {
        cells.add(new Cell(PortalPages.points(g.points()), !g.released(), g.aiAssisted()));
        earned += g.points();
        possible += a.maxPoints();
      }
    }
    return new Row(student, List.copyOf(cells), PortalPages.percent(earned, possible));
  }

  private static Column column(Assignment a, List<Double> points) {
    if (points.isEmpty()) {
      return new Column(a, 0, "—", "—", "—", "—");
    }
    List<Double> sorted = points.stream().sorted().toList();
    int n = sorted.size();
    double mean = sorted.stream().mapToDouble(Double::doubleValue).sum() / n;
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Column(
        a,
        n,
        PortalPages.points(round1(mean)),
        PortalPages.points(round1(median)),
        PortalPages.points(sorted.get(0)),
        PortalPages.points(sorted.get(n - 1)));
  }

  private void count(double points, int maxPoints) {
    if (maxPoints <= 0) {
      return;
    }
    double share = Math.max(0, points) / maxPoints;
    bands[Math.min(BANDS - 1, (int) Math.floor(share * BANDS))]++;
  }

  /** The grade given last (by time graded, then version): the one that counts. */
  private static Grade later(Grade a, Grade b) {
    Instant ta = a.gradedAt() == null ? Instant.EPOCH : a.gradedAt();
    Instant tb = b.gradedAt() == null ? Instant.EPOCH : b.gradedAt();
    int byTime = ta.compareTo(tb);
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.version() >= b.version() ? a : b;
  }

  private static String key(String studentId, String assignmentId) {
    return studentId + "/" + assignmentId;
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  List<Column> columns() {
    return columns;
  }

  List<Row> rows() {
    return rows;
  }

  /** The distribution over the bands, lowest first. */
  List<Band> distribution() {
    List<Band> result = new ArrayList<>();
    for (int i = 0; i < BANDS; i++) {
      int from = i * 100 / BANDS;
      int to = i == BANDS - 1 ? 100 : (i + 1) * 100 / BANDS - 1;
      result.add(new Band(from + "-" + to + " %", bands[i]));
    }
    return result;
  }

  /** How many grades the distribution counts. */
  int graded() {
    int total = 0;
    for (int count : bands) {
      total += count;
    }
    return total;
  }

  /**
   * The distribution as a Chart.js bar chart configuration, the JSON {@code p:chart} takes; {@code
   * seriesLabel} and the axis titles come from the message bundle.
   */
  String chartJson(String seriesLabel, String xTitle, String yTitle) {
    var labels = new StringBuilder();
    var data = new StringBuilder();
    for (Band band : distribution()) {
      labels.append(labels.isEmpty() ? "" : ",").append(json(band.label()));
      data.append(data.isEmpty() ? "" : ",").append(band.count());
    }
    return "{\"type\":\"bar\",\"data\":{\"labels\":["
        + labels
        + "],\"datasets\":[{\"label\":"
        + json(seriesLabel)
        + ",\"data\":["
        + data
        + "],\"backgroundColor\":\"#1f5fa8\"}]},\"options\":{\"animation\":false,"
        + "\"plugins\":{\"legend\":{\"display\":false}},\"scales\":{"
        + "\"x\":{\"title\":{\"display\":true,\"text\":"
        + json(xTitle)
        + "}},\"y\":{\"beginAtZero\":true,\"ticks\":{\"precision\":0},"
        + "\"title\":{\"display\":true,\"text\":"
        + json(yTitle)
        + "}}}}}";
  }

  /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
  static String json(String value) {
    var out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '<' -> out.append("\\u003c"); // the JSON lands inside a script element
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

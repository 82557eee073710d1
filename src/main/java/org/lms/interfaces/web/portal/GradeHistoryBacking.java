package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.StateStore;

/**
 * Backs {@code admin/grade-history.xhtml?course=} (and {@code &submission=}): an administrator
 * reads the grades of any course and, for one of them, its whole history, in the same panel as the
 * instructor's grade page. Read only: administrators see grades, they do not give them, so they
 * need not teach the course. The page lies under {@code /admin/}, which only administrators may
 * open; the use cases check again.
 */
@Named
@RequestScoped
public class GradeHistoryBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;
  @Inject StateStore store;

  private String courseId;
  private String submissionId;
  private Course course;
  private List<Line> grades = List.of();
  private Line selected;
  private List<GradeHistory.Row> history = List.of();

  /** One graded submission of the course, as it stands now. */
  public record Line(
      String submissionId,
      String assignment,
      String studentName,
      String studentUsername,
      String points,
      long version,
      boolean released) {}

  /** The view action: the course's grades and the chosen one's history, or 403/404. */
  public void load() {
    try {
      Actor actor = me.require();
      course = application.courses().get(actor, courseId);
      Map<String, String> titles =
          application.assignments().list(actor, courseId).stream()
              .collect(Collectors.toMap(Assignment::id, Assignment::title));
      grades =
          application.grading().gradebook(actor, courseId).stream()
              .map(g -> line(g, titles))
              .sorted(Comparator.comparing(Line::assignment).thenComparing(Line::studentUsername))
              .toList();
      if (submissionId != null && !submissionId.isBlank()) {
        selected =
            grades.stream()
                .filter(l -> l.submissionId().equals(submissionId))
                .findFirst()
                .orElse(null);
        if (selected == null) {
          FacesErrors.error(null, FacesErrors.text("gradeHistory.unknown"));
        } else {
          history =
              GradeHistory.of(
                  application.grading().history(actor, submissionId),
                  id -> store.get(User.class, id));
        }
      }
    } catch (RejectedException e) {
      PortalPages.refuse(e);
    }
  }

  private Line line(Grade g, Map<String, String> titles) {
    Optional<User> student = store.get(User.class, g.studentId());
    return new Line(
        g.submissionId(),
        titles.getOrDefault(g.assignmentId(), "?"),
        student.map(User::displayName).orElse("?"),
        student.map(User::username).orElse("?"),
        PortalPages.points(g.points()),
        g.version(),
        g.released());
  }

  public Course getCourse() {
    return course;
  }

  /** Every graded submission of the course, by assignment, then student. */
  public List<Line> getGrades() {
    return grades;
  }

  /** The grade whose history is shown, or null. */
  public Line getSelected() {
    return selected;
  }

  public List<GradeHistory.Row> getHistory() {
    return history;
  }

  public String getCourseId() {
    return courseId;
  }

  public void setCourseId(String courseId) {
    this.courseId = courseId;
  }

  public String getSubmissionId() {
    return submissionId;
  }

  public void setSubmissionId(String submissionId) {
    this.submissionId = submissionId;
  }
}

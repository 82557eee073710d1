package org.lms.interfaces.web.portal;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lms.application.Actor;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Role;

/**
 * Backs {@code student/grades.xhtml}: every grade released to the signed-in student, course by
 * course in due order, with points, the share of the maximum and the feedback. The use case returns
 * only the student's own released grades, so nothing here filters for access.
 */
@Named
@RequestScoped
public class MyGradesBacking {

  /** One released grade as the student sees it. */
  public record Line(
      String courseCode,
      String courseTitle,
      String assignmentId,
      String assignmentTitle,
      double points,
      int maxPoints,
      String percent,
      String feedback,
      Instant releasedAt,
      boolean aiAssisted) {}

  @Inject LmsApplication application;
  @Inject CurrentUser me;

  private final List<Line> lines = new ArrayList<>();

  @PostConstruct
  void load() {
    Actor actor = me.require();
    if (!actor.is(Role.STUDENT)) {
      return;
    }
    Map<String, Course> courses = new HashMap<>();
    Map<String, Assignment> assignments = new HashMap<>();
    for (Course c : application.courses().myCourses(actor)) {
      courses.put(c.id(), c);
      for (Assignment a : application.assignments().list(actor, c.id())) {
        assignments.put(a.id(), a);
      }
    }
    for (Grade g : application.grading().myGrades(actor)) {
      Course c = courses.get(g.courseId());
      Assignment a = assignments.get(g.assignmentId());
      if (!g.released() || c == null || a == null) {
        continue; // not released, or a course the student has left
      }
      lines.add(
          new Line(
              c.code(),
              c.title(),
              a.id(),
              a.title(),
              g.points(),
              a.maxPoints(),
              PortalPages.percent(g.points(), a.maxPoints()),
              g.feedback() == null ? "" : g.feedback(),
              g.releasedAt(),
              g.aiAssisted()));
    }
    Map<String, Instant> due = new HashMap<>();
    assignments.values().forEach(a -> due.put(a.id(), a.dueAt()));
    lines.sort(
        Comparator.comparing(Line::courseCode)
            .thenComparing(l -> due.get(l.assignmentId()))
            .thenComparing(Line::assignmentTitle));
  }

  public List<Line> getLines() {
    return lines;
  }
}

package org.lms.interfaces.web.portal;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
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
import org.lms.domain.model.Question;
import org.lms.domain.model.Question.QuestionStatus;
import org.lms.domain.model.Role;

/**
 * Backs {@code home.xhtml}: a student's courses, upcoming due dates, recently released grades and
 * open questions; an instructor's and an admin's courses. Everything is read from this node's copy
 * of the replicated state through the use cases, which apply the same access rules as the gRPC API.
 */
@Named
@RequestScoped
public class DashboardBacking {

  static final int UPCOMING = 10;
  static final int RECENT_GRADES = 5;

  /** An assignment still to hand in. */
  public record Upcoming(String courseCode, String assignmentId, String title, Instant dueAt) {}

  /** A released grade. */
  public record RecentGrade(
      String courseCode, String assignmentTitle, double points, int maxPoints, String feedback) {}

  /** A question of the user's that nobody has answered yet. */
  public record OpenQuestion(String courseCode, String text, Instant askedAt) {}

  @Inject LmsApplication application;
  @Inject CurrentUser me;

  private List<Course> courses = List.of();
  private final List<Upcoming> upcoming = new ArrayList<>();
  private final List<RecentGrade> recentGrades = new ArrayList<>();
  private final List<OpenQuestion> openQuestions = new ArrayList<>();

  @PostConstruct
  void load() {
    Actor actor = me.require();
    courses =
        application.courses().myCourses(actor).stream()
            .sorted(Comparator.comparing(Course::code))
            .toList();
    if (actor.is(Role.STUDENT)) {
      loadStudent(actor, Clock.systemUTC().instant());
    }
  }

  private void loadStudent(Actor actor, Instant now) {
    Map<String, Course> byId = new HashMap<>();
    Map<String, Assignment> assignments = new HashMap<>();
    for (Course c : courses) {
      byId.put(c.id(), c);
      for (Assignment a : application.assignments().list(actor, c.id())) {
        assignments.put(a.id(), a);
        if (a.dueAt().isAfter(now)) {
          upcoming.add(new Upcoming(c.code(), a.id(), a.title(), a.dueAt()));
        }
      }
      for (Question q : application.questions().list(actor, c.id())) {
        if (q.askedBy().equals(actor.userId()) && q.status() == QuestionStatus.OPEN) {
          openQuestions.add(new OpenQuestion(c.code(), q.text(), q.askedAt()));
        }
      }
    }
    upcoming.sort(Comparator.comparing(Upcoming::dueAt));
    trim(upcoming, UPCOMING);
    openQuestions.sort(Comparator.comparing(OpenQuestion::askedAt).reversed());
    application.grading().myGrades(actor).stream()
        .filter(Grade::released)
        .sorted(
            Comparator.comparing(
                    (Grade g) -> g.releasedAt() == null ? Instant.EPOCH : g.releasedAt())
                .reversed())
        .limit(RECENT_GRADES)
        .forEach(
            g -> {
              Assignment a = assignments.get(g.assignmentId());
              Course c = byId.get(g.courseId());
              recentGrades.add(
                  new RecentGrade(
                      c == null ? "" : c.code(),
                      a == null ? g.assignmentId() : a.title(),
                      g.points(),
                      a == null ? 0 : a.maxPoints(),
                      g.feedback()));
            });
  }

  private static <T> void trim(List<T> list, int max) {
    while (list.size() > max) {
      list.remove(list.size() - 1);
    }
  }

  public List<Course> getCourses() {
    return courses;
  }

  public List<Upcoming> getUpcoming() {
    return upcoming;
  }

  public List<RecentGrade> getRecentGrades() {
    return recentGrades;
  }

  public List<OpenQuestion> getOpenQuestions() {
    return openQuestions;
  }
}

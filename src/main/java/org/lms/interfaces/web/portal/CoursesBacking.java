package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.lms.application.LmsApplication;
import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.model.User;

/**
 * Backs {@code admin/courses.xhtml}: every course with its instructors, a form that creates one and
 * a form that assigns a further instructor to one.
 */
@Named
@RequestScoped
public class CoursesBacking {

  @Inject LmsApplication application;
  @Inject CurrentUser me;

  private String code;
  private String title;
  private String instructorId;
  private String assignCourseId;
  private String assignInstructorId;
  private List<Course> courses;
  private Map<String, User> users;

  public String create() {
    try {
      Course created =
          application
              .courses()
              .createCourse(
                  me.require(),
                  code,
                  title,
                  instructorId == null || instructorId.isBlank()
                      ? List.of()
                      : List.of(instructorId));
      FacesErrors.info(FacesErrors.text("courses.created", created.code(), created.title()));
      code = null;
      title = null;
      instructorId = null;
      courses = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  public List<Course> getCourses() {
    if (courses == null) {
      courses = application.courses().myCourses(me.require());
    }
    return courses;
  }

  /** Adds a further instructor to a course: a course may have several. */
  public String assign() {
    try {
      Course course = application.courses().get(me.require(), assignCourseId);
      String instructor = usernameOf(assignInstructorId);
      if (course.isTaughtBy(assignInstructorId)) {
        FacesErrors.info(FacesErrors.text("courses.assign.already", instructor, course.code()));
      } else {
        application.courses().assignInstructor(me.require(), course.id(), assignInstructorId, true);
        FacesErrors.info(FacesErrors.text("courses.assigned", instructor, course.code()));
      }
      assignCourseId = null;
      assignInstructorId = null;
      courses = null;
    } catch (RuntimeException e) {
      FacesErrors.show(null, e);
    }
    return null;
  }

  /** The enabled instructors, by username: whom an admin may put in charge of a course. */
  public List<User> getInstructors() {
    return users().values().stream()
        .filter(u -> u.role() == Role.INSTRUCTOR && !u.disabled())
        .sorted(Comparator.comparing(User::username))
        .toList();
  }

  /** The instructors' names of a course, for the list. */
  public String instructorsOf(Course course) {
    return String.join(", ", course.instructorIds().stream().map(this::usernameOf).toList());
  }

  private String usernameOf(String userId) {
    User user = users().get(userId);
    return user == null ? userId : user.username();
  }

  /** Every account by id, read once per request through the use case. */
  private Map<String, User> users() {
    if (users == null) {
      users =
          application.accounts().listUsers(me.require()).stream()
              .collect(Collectors.toMap(User::id, Function.identity()));
    }
    return users;
  }

  public String getAssignCourseId() {
    return assignCourseId;
  }

  public void setAssignCourseId(String assignCourseId) {
    this.assignCourseId = assignCourseId;
  }

  public String getAssignInstructorId() {
    return assignInstructorId;
  }

  public void setAssignInstructorId(String assignInstructorId) {
    this.assignInstructorId = assignInstructorId;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public String getInstructorId() {
    return instructorId;
  }

  public void setInstructorId(String instructorId) {
    this.instructorId = instructorId;
  }
}
